package dev.debugport.analysis.unwind;

/**
 * One row of the unwind table: the rules in force at a pc.
 *
 * @param cfa   how to compute the CFA
 * @param rules the rule of each DWARF register column 0..16 (16 is the return address); null where the program
 *              gave none
 */
record UnwindRow(CfaRule cfa, RegisterRule[] rules) {
}
