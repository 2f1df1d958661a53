package dev.debugport.debugger.format;

/** Numbers as cdb prints them. */
public final class Hex {
    private Hex() {
    }

    /** A 64-bit pointer: 16 hex digits with a backtick between the two halves (00007ffa`00001022). */
    public static String pointer(long value) {
        String hex = String.format("%016x", value);
        return hex.substring(0, 8) + "`" + hex.substring(8);
    }

    /** A 64-bit value without the backtick, as {@code r} prints registers. */
    public static String quad(long value) {
        return String.format("%016x", value);
    }

    /** An offset for module!symbol+0xoffset. */
    public static String offset(long value) {
        return "0x" + Long.toHexString(value);
    }
}
