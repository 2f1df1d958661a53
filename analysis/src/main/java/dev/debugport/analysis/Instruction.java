package dev.debugport.analysis;

import java.util.OptionalLong;

/**
 * One decoded x86-64 instruction.
 *
 * @param address  where it is
 * @param bytes    its encoding
 * @param mnemonic for example {@code call}
 * @param operands the operand text in Intel syntax, for example {@code qword ptr [rip + 0x2fe2]}
 * @param kind     what it does to the flow of control (stepping over calls and to a return depends on it)
 * @param target   the branch or call target when it is an immediate, else empty
 */
public record Instruction(long address, byte[] bytes, String mnemonic, String operands, Kind kind, OptionalLong target) {
    /** The flow-of-control class of an instruction. */
    public enum Kind {
        /** Falls through to the next instruction. */
        SEQUENTIAL,
        /** call: pushes a return address. */
        CALL,
        /** ret / iret. */
        RETURN,
        /** jmp: an unconditional branch. */
        JUMP,
        /** jcc, loop, jrcxz: a conditional branch. */
        CONDITIONAL_JUMP,
        /** int, int3, syscall, sysenter. */
        INTERRUPT
    }

    public int length() {
        return bytes.length;
    }

    /** The address of the next instruction in memory. */
    public long next() {
        return address + bytes.length;
    }
}
