package dev.debugport.debugger.format;

/** Addresses as cdb prints them. */
public final class Hex {
    private Hex() {
    }

    /** A 64-bit pointer: 16 hex digits with a backtick between the two halves (00007ffa`00001022). */
    public static String pointer(long value) {
        String hex = String.format("%016x", value);
        return hex.substring(0, 8) + "`" + hex.substring(8);
    }
}
