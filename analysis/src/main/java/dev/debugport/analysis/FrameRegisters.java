package dev.debugport.analysis;

import java.util.OptionalLong;

/**
 * The integer registers of one stack frame that are known there, in the DWARF x86-64 numbering (System V psABI,
 * figure 3.36): 0 rax, 1 rdx, 2 rcx, 3 rbx, 4 rsi, 5 rdi, 6 rbp, 7 rsp, 8..15 r8..r15, 16 the return address (rip).
 * Frame 0 knows every one (the thread's context); a caller's frame knows what unwinding recovered: rsp, rip and the
 * callee-saved registers the callee's CFI restores.
 */
public interface FrameRegisters {
    /** The register's value in this frame, or empty if the unwind could not recover it (or it is no integer register). */
    OptionalLong value(int dwarfRegister);
}
