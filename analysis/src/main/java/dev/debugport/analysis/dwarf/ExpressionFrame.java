package dev.debugport.analysis.dwarf;

import dev.debugport.analysis.FrameRegisters;
import dev.debugport.analysis.MemoryReader;
import java.util.OptionalLong;

/**
 * What a DWARF expression may read in the frame it is evaluated for.
 *
 * @param registers   the frame's registers (DW_OP_breg*, DW_OP_reg*)
 * @param memory      the debuggee's memory (DW_OP_deref)
 * @param cfa         the frame's canonical frame address (DW_OP_call_frame_cfa), empty where it is not known
 * @param frameBase   the value of the function's DW_AT_frame_base (DW_OP_fbreg), empty where it is not known
 * @param addressBias added to DW_OP_addr operands: the load bias of the module the expression comes from
 */
public record ExpressionFrame(FrameRegisters registers, MemoryReader memory, OptionalLong cfa, OptionalLong frameBase, long addressBias) {
    /** A frame for call-frame information: only registers and memory (CFA rules are what define the CFA). */
    public static ExpressionFrame ofRegisters(FrameRegisters registers, MemoryReader memory) {
        return new ExpressionFrame(registers, memory, OptionalLong.empty(), OptionalLong.empty(), 0);
    }

    /** The same frame with {@code base} as its frame base. */
    public ExpressionFrame withFrameBase(OptionalLong base) {
        return new ExpressionFrame(registers, memory, cfa, base, addressBias);
    }
}
