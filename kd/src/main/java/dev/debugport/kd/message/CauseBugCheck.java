package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdCauseBugCheckApi} (ApiNumber {@code 0x3149}), union no union.
 *
 * <p>Makes the target bug-check (code 0xE2); no reply: the next packet is the crash stop.
 * <p><b>No reply packet</b>: the ACK is the only answer.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3149 (DbgKdCauseBugCheckApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 40    (union not used)
 *     56 ...   extra data (none)
 * </pre>
 */
public record CauseBugCheck() implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.CAUSE_BUG_CHECK.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
    }

    static CauseBugCheck readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new CauseBugCheck();
    }
}
