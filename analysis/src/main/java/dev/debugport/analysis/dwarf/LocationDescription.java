package dev.debugport.analysis.dwarf;

/** How a parameter's DWARF says to find its value at one pc. */
public sealed interface LocationDescription {
    /** Evaluate the DWARF expression in bytes [start, end) of {@code code} (a DW_AT_location or a list entry's). */
    record Expression(byte[] code, int start, int end) implements LocationDescription {
    }

    /** The value is these bytes, little-endian (DW_AT_const_value: the compiler knew it). */
    record Constant(byte[] bytes) implements LocationDescription {
    }

    /** No location at this pc: none of the list's entries covers it, or the parameter has no DW_AT_location. */
    record None() implements LocationDescription {
    }
}
