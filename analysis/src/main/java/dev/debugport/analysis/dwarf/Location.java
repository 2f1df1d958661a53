package dev.debugport.analysis.dwarf;

/** Where a DWARF location description (DWARF 5 section 2.6) says an object is, in one frame at one pc. */
public sealed interface Location {
    /** In memory at this address (a memory location description). */
    record InMemory(long address) implements Location {
    }

    /** In this register, DWARF numbering (DW_OP_reg*: a register location description). */
    record InRegister(int register) implements Location {
    }

    /** Nowhere, but its value is known (DW_OP_stack_value: the expression computed the value itself). */
    record Value(long value) implements Location {
    }

    /** Not recoverable here: optimized out at this pc, or described with operations these readers do not evaluate. */
    record Unavailable() implements Location {
    }
}
