package dev.debugport.analysis.dwarf;

import java.util.Optional;

/**
 * A value's bytes as cdb's kp and dv print them: {@code 0n} decimal for integers, {@code 0n65 'A'} for characters,
 * {@code true}/{@code false}, the number for floating point, and {@code 0x} with a backtick for 64-bit pointers.
 */
final class ValueText {
    /** What cdb prints for a value it cannot recover (optimized away, or in a register it has no value for). */
    static final String UNAVAILABLE = "<value unavailable>";

    private ValueText() {
    }

    /** A 64-bit address: {@code 0x00007ffe`8967bb90}. */
    static String pointer(long value) {
        return String.format("0x%08x`%08x", value >>> 32, value & 0xFFFF_FFFFL);
    }

    /** The value of type {@code type} held in the first bytes of {@code bytes} (little-endian). */
    static String of(DwarfType type, byte[] bytes) {
        int size = type.size();
        if (size <= 0 || size > bytes.length) {
            return UNAVAILABLE;
        }
        return switch (type.kind()) {
            case SIGNED -> "0n" + signed(bytes, size);
            case UNSIGNED -> "0n" + Long.toUnsignedString(unsigned(bytes, size));
            case SIGNED_CHAR, UNSIGNED_CHAR -> character(type.kind() == DwarfType.Kind.SIGNED_CHAR ? signed(bytes, size) : unsigned(bytes, size));
            case BOOLEAN -> unsigned(bytes, size) != 0 ? "true" : "false";
            case FLOAT -> floating(bytes, size).orElse(UNAVAILABLE);
            case POINTER -> size == 8 ? pointer(unsigned(bytes, 8)) : "0x" + Long.toHexString(unsigned(bytes, size));
            case AGGREGATE, OTHER -> UNAVAILABLE;
        };
    }

    private static long unsigned(byte[] bytes, int size) {
        long v = 0;
        for (int i = Math.min(size, Long.BYTES) - 1; i >= 0; i--) {
            v = v << 8 | (bytes[i] & 0xFF);
        }
        return v;
    }

    private static long signed(byte[] bytes, int size) {
        int bits = 8 * Math.min(size, Long.BYTES);
        long v = unsigned(bytes, size);
        return bits == 64 ? v : v << (64 - bits) >> (64 - bits);
    }

    /** The code and, for printable ASCII, the character: {@code 0n65 'A'}. */
    private static String character(long code) {
        return code >= 0x20 && code < 0x7F ? "0n" + code + " '" + (char) code + "'" : "0n" + code;
    }

    /** float, double, and the x87 80-bit long double (in a 16-byte slot on x86-64). */
    private static Optional<String> floating(byte[] bytes, int size) {
        return switch (size) {
            case 4 -> Optional.of(Float.toString(Float.intBitsToFloat((int) unsigned(bytes, 4))));
            case 8 -> Optional.of(Double.toString(Double.longBitsToDouble(unsigned(bytes, 8))));
            case 16 -> Optional.of(Double.toString(extended(bytes)));
            default -> Optional.empty();
        };
    }

    /** An x87 extended-precision value (64-bit mantissa with its integer bit, 15-bit exponent, sign), as a double. */
    private static double extended(byte[] bytes) {
        long mantissa = unsigned(bytes, 8);
        int signAndExponent = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        int exponent = signAndExponent & 0x7FFF;
        double sign = (signAndExponent & 0x8000) != 0 ? -1 : 1;
        if (exponent == 0x7FFF) {
            return (mantissa << 1) == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        // The mantissa's top bit is the integer part: value = mantissa * 2^(exponent - bias - 63). Dropping its
        // lowest bit keeps it positive as a long and costs nothing a double can hold.
        return sign * Math.scalb((double) (mantissa >>> 1), exponent - 16383 - 62);
    }
}
