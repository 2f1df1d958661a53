package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdWriteBreakPointApi} (ApiNumber {@code 0x3134}), union {@code DBGKD_WRITE_BREAKPOINT64}.
 *
 * <p>Inserts a software breakpoint. The reply carries a handle 1..32 and STATUS_SUCCESS, or handle 0
 * and STATUS_UNSUCCESSFUL when the table is full or the address already has a live breakpoint.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3134 (DbgKdWriteBreakPointApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u64   BreakPointAddress
 *     24 u32   BreakPointHandle (reply)
 *     28 28    (unused; don't-care)
 *     56 ...   extra data (none)
 * </pre>
 *
 * @param breakPointAddress BreakPointAddress
 * @param breakPointHandle BreakPointHandle (reply)
 */
public record WriteBreakPoint(long breakPointAddress, int breakPointHandle) implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.WRITE_BREAKPOINT.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putLong(16, breakPointAddress);
        b.putInt(24, breakPointHandle);
    }

    static WriteBreakPoint readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new WriteBreakPoint(b.getLong(16), b.getInt(24));
    }
}
