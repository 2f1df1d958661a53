package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdWriteCustomBreakpointApi} (ApiNumber {@code 0x315E}), union {@code DBGKD_WRITE_CUSTOM_BREAKPOINT}.
 *
 * <p>Writes a breakpoint with a caller-chosen instruction (ReactOS answers STATUS_UNSUCCESSFUL).
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x315E (DbgKdWriteCustomBreakpointApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u64   BreakPointAddress
 *     24 u64   BreakPointInstruction
 *     32 u32   BreakPointHandle
 *     36 u8    BreakPointInstructionSize
 *     37 u8    BreakPointInstructionAlignment
 *     38 18    (unused; don't-care)
 *     56 ...   extra data (none)
 * </pre>
 *
 * @param breakPointAddress BreakPointAddress
 * @param breakPointInstruction BreakPointInstruction
 * @param breakPointHandle BreakPointHandle
 * @param breakPointInstructionSize BreakPointInstructionSize
 * @param breakPointInstructionAlignment BreakPointInstructionAlignment
 */
public record WriteCustomBreakpoint(long breakPointAddress, long breakPointInstruction, int breakPointHandle, int breakPointInstructionSize, int breakPointInstructionAlignment) implements ManipulateApi {

    /** Checks that the narrow fields fit their wire width. */
    public WriteCustomBreakpoint {
        Fields.u8(breakPointInstructionSize, "breakPointInstructionSize");
        Fields.u8(breakPointInstructionAlignment, "breakPointInstructionAlignment");
    }

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.WRITE_CUSTOM_BREAKPOINT.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putLong(16, breakPointAddress);
        b.putLong(24, breakPointInstruction);
        b.putInt(32, breakPointHandle);
        b.put(36, (byte) breakPointInstructionSize);
        b.put(37, (byte) breakPointInstructionAlignment);
    }

    static WriteCustomBreakpoint readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new WriteCustomBreakpoint(b.getLong(16),
                b.getLong(24),
                b.getInt(32),
                Byte.toUnsignedInt(b.get(36)),
                Byte.toUnsignedInt(b.get(37)));
    }
}
