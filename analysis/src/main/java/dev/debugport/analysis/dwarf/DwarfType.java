package dev.debugport.analysis.dwarf;

/**
 * A parameter's type as kp shows it: the name as C writes it (typedef names kept, {@code const char *},
 * {@code struct point}) and how to read a value of it, from the end of its typedef and qualifier chain.
 *
 * @param name the type's name
 * @param kind how its bytes are read
 * @param size its size in bytes (DW_AT_byte_size; 8 for pointers), 0 when the entry does not say
 */
public record DwarfType(String name, Kind kind, int size) {
    /** What the bytes of a value are. */
    public enum Kind {
        SIGNED,
        UNSIGNED,
        SIGNED_CHAR,
        UNSIGNED_CHAR,
        BOOLEAN,
        FLOAT,
        POINTER,
        /** A struct, union or class: kp shows where it is, not its members. */
        AGGREGATE,
        /** Anything else (arrays, functions, types these readers do not decode). */
        OTHER
    }

    /** A type whose entry is missing or damaged. */
    static final DwarfType UNKNOWN = new DwarfType("<unknown type>", Kind.OTHER, 0);
}
