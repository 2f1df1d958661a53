package dev.debugport.analysis.unwind;

/** How to recover a register of the caller's frame (a column of the DWARF unwind table). */
sealed interface RegisterRule {
    /** DW_CFA_undefined: the register has no value in the caller (for the return address: the stack ends here). */
    record Undefined() implements RegisterRule {
    }

    /** DW_CFA_same_value: unchanged by this frame. */
    record SameValue() implements RegisterRule {
    }

    /** DW_CFA_offset: saved in memory at CFA + {@code offset}. */
    record Offset(long offset) implements RegisterRule {
    }

    /** DW_CFA_val_offset: the value is CFA + {@code offset}. */
    record ValOffset(long offset) implements RegisterRule {
    }

    /** DW_CFA_register: held in another register. */
    record InRegister(int register) implements RegisterRule {
    }

    /** DW_CFA_expression: saved in memory at the address the expression (section bytes [start, end)) computes. */
    record AtExpression(int start, int end) implements RegisterRule {
    }

    /** DW_CFA_val_expression: the value is what the expression computes. */
    record IsExpression(int start, int end) implements RegisterRule {
    }
}
