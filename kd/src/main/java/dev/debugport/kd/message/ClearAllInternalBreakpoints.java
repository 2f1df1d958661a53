package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdClearAllInternalBreakpointsApi} (ApiNumber {@code 0x315A}), union no union.
 *
 * <p>Clears every internal breakpoint; no reply, WinDbg expects only the ACK (ReactOS, VirtualBox and
 * kdd agree).
 * <p><b>No reply packet</b>: the ACK is the only answer.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x315A (DbgKdClearAllInternalBreakpointsApi)
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
public record ClearAllInternalBreakpoints() implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.CLEAR_ALL_INTERNAL_BREAKPOINTS.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
    }

    static ClearAllInternalBreakpoints readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new ClearAllInternalBreakpoints();
    }
}
