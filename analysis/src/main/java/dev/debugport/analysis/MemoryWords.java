package dev.debugport.analysis;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Little-endian words and whole byte ranges out of a {@link MemoryReader} (an unreadable byte gives empty), and a word
 * as the bytes memory holds it.
 */
public final class MemoryWords {
    private MemoryWords() {
    }

    /** Exactly {@code length} bytes at {@code address}, or empty if any of them cannot be read. */
    public static Optional<byte[]> read(MemoryReader memory, long address, int length) {
        byte[] b = new byte[length];
        int done = 0;
        while (done < length) {
            int n = memory.read(address + done, b, done, length - done);
            if (n <= 0) {
                return Optional.empty();
            }
            done += n;
        }
        return Optional.of(b);
    }

    /** The 8-byte little-endian word at {@code address}. */
    public static OptionalLong qword(MemoryReader memory, long address) {
        return read(memory, address, 8).map(b -> OptionalLong.of(le(b).getLong(0))).orElse(OptionalLong.empty());
    }

    /** The 4-byte little-endian word at {@code address}, zero-extended. */
    public static OptionalLong dword(MemoryReader memory, long address) {
        return read(memory, address, 4).map(b -> OptionalLong.of(Integer.toUnsignedLong(le(b).getInt(0))))
                .orElse(OptionalLong.empty());
    }

    /** The eight bytes of {@code value}, least significant first, as the value lies in x86-64 memory. */
    public static byte[] littleEndian(long value) {
        byte[] b = new byte[Long.BYTES];
        le(b).putLong(0, value);
        return b;
    }

    /** {@code bytes} as a little-endian buffer. */
    public static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
