package dev.debugport.debugger.format;

import java.util.HexFormat;

/** Addresses as cdb prints them. */
public final class Hex {
    private Hex() {
    }

    /** A 64-bit pointer: 16 hex digits with a backtick between the two halves (00007ffa`00001022). */
    public static String pointer(long value) {
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits((int) (value >>> 32)) + "`" + hex.toHexDigits((int) value);
    }
}
