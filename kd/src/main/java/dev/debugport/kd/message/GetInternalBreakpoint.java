package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdGetInternalBreakPointApi} (ApiNumber {@code 0x3143}), union {@code DBGKD_GET_INTERNAL_BREAKPOINT64}.
 *
 * <p>Reads the counters of an internal breakpoint (ReactOS answers STATUS_UNSUCCESSFUL). Layout from
 * windbgkd.h; kd.md does not give it.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3143 (DbgKdGetInternalBreakPointApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u64   BreakpointAddress
 *     24 u32   Flags
 *     28 u32   Calls
 *     32 u32   MaxCallsPerPeriod
 *     36 u32   MinInstructions
 *     40 u32   MaxInstructions
 *     44 u32   TotalInstructions
 *     48 8     (unused; don't-care)
 *     56 ...   extra data (none)
 * </pre>
 *
 * @param breakpointAddress BreakpointAddress
 * @param flags Flags
 * @param calls Calls
 * @param maxCallsPerPeriod MaxCallsPerPeriod
 * @param minInstructions MinInstructions
 * @param maxInstructions MaxInstructions
 * @param totalInstructions TotalInstructions
 */
public record GetInternalBreakpoint(long breakpointAddress, int flags, int calls, int maxCallsPerPeriod, int minInstructions, int maxInstructions, int totalInstructions) implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.GET_INTERNAL_BREAKPOINT.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putLong(16, breakpointAddress);
        b.putInt(24, flags);
        b.putInt(28, calls);
        b.putInt(32, maxCallsPerPeriod);
        b.putInt(36, minInstructions);
        b.putInt(40, maxInstructions);
        b.putInt(44, totalInstructions);
    }

    static GetInternalBreakpoint readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new GetInternalBreakpoint(b.getLong(16),
                b.getInt(24),
                b.getInt(28),
                b.getInt(32),
                b.getInt(36),
                b.getInt(40),
                b.getInt(44));
    }
}
