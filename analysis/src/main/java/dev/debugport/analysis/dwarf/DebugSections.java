package dev.debugport.analysis.dwarf;

import java.util.List;

/**
 * The DWARF sections of one ELF file, as this package reads them; a section the file does not have is empty.
 *
 * @param info       .debug_info: the units and their debugging information entries
 * @param abbrev     .debug_abbrev: the entries' layouts
 * @param str        .debug_str: strings of DW_FORM_strp and DW_FORM_strx*
 * @param lineStr    .debug_line_str: strings of DW_FORM_line_strp (DWARF 5)
 * @param strOffsets .debug_str_offsets: the string index tables of DW_FORM_strx* (DWARF 5)
 * @param addr       .debug_addr: the address tables of DW_FORM_addrx* (DWARF 5)
 * @param loclists   .debug_loclists: location lists (DWARF 5)
 * @param loc        .debug_loc: location lists (DWARF 4)
 * @param rnglists   .debug_rnglists: address range lists (DWARF 5)
 * @param ranges     .debug_ranges: address range lists (DWARF 4)
 */
public record DebugSections(byte[] info, byte[] abbrev, byte[] str, byte[] lineStr, byte[] strOffsets, byte[] addr,
                            byte[] loclists, byte[] loc, byte[] rnglists, byte[] ranges) {
    /** The section names, in the order of the components. */
    public static final List<String> NAMES = List.of(".debug_info", ".debug_abbrev", ".debug_str",
            ".debug_line_str", ".debug_str_offsets", ".debug_addr", ".debug_loclists", ".debug_loc", ".debug_rnglists",
            ".debug_ranges");

    /** The sections in the order of {@link #NAMES}. */
    public static DebugSections of(List<byte[]> sections) {
        return new DebugSections(sections.get(0), sections.get(1), sections.get(2), sections.get(3), sections.get(4),
                sections.get(5), sections.get(6), sections.get(7), sections.get(8), sections.get(9));
    }
}
