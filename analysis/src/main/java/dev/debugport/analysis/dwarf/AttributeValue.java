package dev.debugport.analysis.dwarf;

/**
 * One attribute of a debugging information entry, by the class of its form (DWARF 5 section 7.5.5). Values that
 * index a table of the unit (DW_FORM_strx*, addrx*, loclistx, rnglistx) stay indexes until the unit resolves them
 * with its bases, which its own root entry may state after the attribute that needs them.
 */
sealed interface AttributeValue {
    /** A constant (data*, udata, sdata, flag, implicit_const). */
    record Constant(long value) implements AttributeValue {
    }

    /** A string (DW_FORM_string, strp, line_strp). */
    record Text(String value) implements AttributeValue {
    }

    /** A string by its index in the unit's .debug_str_offsets table. */
    record StringIndex(long index) implements AttributeValue {
    }

    /** A link-time address (DW_FORM_addr). */
    record Address(long value) implements AttributeValue {
    }

    /** An address by its index in the unit's .debug_addr table. */
    record AddressIndex(long index) implements AttributeValue {
    }

    /** Another entry, by its offset in .debug_info. */
    record Reference(long infoOffset) implements AttributeValue {
    }

    /** An offset into another section (location and range lists, DW_FORM_sec_offset). */
    record SectionOffset(long offset) implements AttributeValue {
    }

    /** A location or range list by its index in the unit's offset table (DW_FORM_loclistx, rnglistx). */
    record ListIndex(long index) implements AttributeValue {
    }

    /** Bytes [start, end) of .debug_info: a DWARF expression or a block constant. */
    record Block(int start, int end) implements AttributeValue {
    }

    /** A form these readers skip over without using (type signatures, supplementary files, 16-byte data). */
    record Skipped() implements AttributeValue {
    }
}
