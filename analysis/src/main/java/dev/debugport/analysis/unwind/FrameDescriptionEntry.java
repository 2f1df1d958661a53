package dev.debugport.analysis.unwind;

/**
 * An FDE of .eh_frame: the unwind program of one range of code.
 *
 * @param begin             the first link-time address it covers
 * @param end               one past the last
 * @param cie               its CIE
 * @param instructionsStart where its CFA instructions start in the section
 * @param instructionsEnd   where they end
 */
record FrameDescriptionEntry(long begin, long end, CommonInformationEntry cie, int instructionsStart, int instructionsEnd) {
}
