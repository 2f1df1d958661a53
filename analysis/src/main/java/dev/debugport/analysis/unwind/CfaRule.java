package dev.debugport.analysis.unwind;

/** How to compute the canonical frame address (the caller's stack pointer before its call). */
sealed interface CfaRule {
    /** DW_CFA_def_cfa: a register plus an offset. */
    record RegisterOffset(int register, long offset) implements CfaRule {
    }

    /** DW_CFA_def_cfa_expression: what the expression (section bytes [start, end)) computes. */
    record Expression(int start, int end) implements CfaRule {
    }
}
