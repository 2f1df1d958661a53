package dev.debugport.analysis.unwind;

/**
 * A CIE of .eh_frame: what every FDE that points at it shares.
 *
 * @param codeAlignment     code_alignment_factor (advance_loc deltas are multiplied by it)
 * @param dataAlignment     data_alignment_factor (offsets of saved registers are multiplied by it)
 * @param returnRegister    the DWARF column that holds the return address (16, rip, on x86-64)
 * @param pointerEncoding   the DW_EH_PE encoding of FDE addresses ('R' augmentation; absolute otherwise)
 * @param augmented         the augmentation string starts with 'z' (FDEs carry an augmentation-data length)
 * @param signalFrame       'S': the frames it describes are signal trampolines, whose caller's pc is exact
 * @param instructionsStart where the initial instructions start in the section
 * @param instructionsEnd   where they end
 */
record CommonInformationEntry(long codeAlignment, long dataAlignment, int returnRegister, int pointerEncoding,
        boolean augmented, boolean signalFrame, int instructionsStart, int instructionsEnd) {
}
