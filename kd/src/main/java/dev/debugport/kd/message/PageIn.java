package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdPageInApi} (ApiNumber {@code 0x3151}), union no union.
 *
 * <p>Obsolete page-in request (ReactOS answers STATUS_UNSUCCESSFUL). kd.md gives no union layout, so
 * the union is not interpreted.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3151 (DbgKdPageInApi)
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
public record PageIn() implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.PAGE_IN.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
    }

    static PageIn readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new PageIn();
    }
}
