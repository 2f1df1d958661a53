package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdSetInternalBreakPointApi} (ApiNumber {@code 0x3142}), union {@code DBGKD_SET_INTERNAL_BREAKPOINT64}.
 *
 * <p>Sets an instruction-counting internal breakpoint (ReactOS answers STATUS_UNSUCCESSFUL). Layout
 * from windbgkd.h; kd.md does not give it.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3142 (DbgKdSetInternalBreakPointApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u64   BreakpointAddress
 *     24 u32   Flags
 *     28 28    (unused; don't-care)
 *     56 ...   extra data (none)
 * </pre>
 *
 * @param breakpointAddress BreakpointAddress
 * @param flags Flags
 */
public record SetInternalBreakpoint(long breakpointAddress, int flags) implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.SET_INTERNAL_BREAKPOINT.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putLong(16, breakpointAddress);
        b.putInt(24, flags);
    }

    static SetInternalBreakpoint readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new SetInternalBreakpoint(b.getLong(16), b.getInt(24));
    }
}
