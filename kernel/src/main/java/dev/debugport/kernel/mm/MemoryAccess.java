package dev.debugport.kernel.mm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/** Little-endian scalar and string access over a {@link ProcessMemory}. */
public final class MemoryAccess {
    private MemoryAccess() {
    }

    public static OptionalLong readLong(ProcessMemory memory, long address) {
        return readScalar(memory, address, 8);
    }

    public static OptionalLong readByte(ProcessMemory memory, long address) {
        return readScalar(memory, address, 1);
    }

    public static OptionalLong readInt(ProcessMemory memory, long address) {
        return readScalar(memory, address, 4);
    }

    private static OptionalLong readScalar(ProcessMemory memory, long address, int size) {
        byte[] b = new byte[8];
        if (memory.read(address, b, 0, size) != size) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong());
    }

    public static boolean writeLong(ProcessMemory memory, long address, long value) {
        byte[] b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
        return memory.write(address, b, 0, 8) == 8;
    }

    public static boolean writeByte(ProcessMemory memory, long address, int value) {
        return memory.write(address, new byte[] {(byte) value}, 0, 1) == 1;
    }

    /** Writes {@code text} as UTF-16LE with a terminating NUL; returns the number of bytes written. */
    public static int writeUtf16z(ProcessMemory memory, long address, String text) {
        byte[] b = (text + "\0").getBytes(StandardCharsets.UTF_16LE);
        return memory.write(address, b, 0, b.length);
    }

    /** Writes {@code text} as ANSI (ISO-8859-1) with a terminating NUL; returns the number of bytes written. */
    public static int writeAnsiz(ProcessMemory memory, long address, String text) {
        byte[] b = (text + "\0").getBytes(StandardCharsets.ISO_8859_1);
        return memory.write(address, b, 0, b.length);
    }

    /** Reads a NUL-terminated UTF-16LE string of at most {@code maxChars} characters (shorter if memory ends). */
    public static String readUtf16z(ProcessMemory memory, long address, int maxChars) {
        byte[] b = new byte[maxChars * 2];
        int n = memory.read(address, b, 0, b.length) & ~1;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 1 < n; i += 2) {
            char c = (char) ((b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8);
            if (c == 0) {
                break;
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Reads a NUL-terminated ANSI string of at most {@code maxChars} bytes (shorter if memory ends). */
    public static String readAnsiz(ProcessMemory memory, long address, int maxChars) {
        byte[] b = new byte[maxChars];
        int n = memory.read(address, b, 0, b.length);
        int len = 0;
        while (len < n && b[len] != 0) {
            len++;
        }
        return new String(b, 0, len, StandardCharsets.ISO_8859_1);
    }
}
