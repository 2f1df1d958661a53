package dev.debugport.kd.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable sequence of bytes with value semantics, so that records holding packet payloads,
 * memory contents or CONTEXT images compare and hash by content.
 *
 * <p>Every factory copies its input and {@link #toByteArray()} returns a copy, so no caller can change a
 * {@code ByteString} after the fact.
 */
public final class ByteString {

    /** The empty byte string. */
    public static final ByteString EMPTY = new ByteString(new byte[0]);

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static final int TO_STRING_LIMIT = 32;

    private final byte[] bytes;

    private ByteString(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @return a byte string holding a copy of {@code bytes} */
    public static ByteString of(byte... bytes) {
        return bytes.length == 0 ? EMPTY : new ByteString(bytes.clone());
    }

    /**
     * @return a byte string over {@code bytes} itself, not a copy: for a caller that has just built the array and
     *     hands it over (it must never change it afterwards), such as a 4 KB memory-read reply
     */
    public static ByteString wrap(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new ByteString(bytes);
    }

    /** @return a byte string holding a copy of {@code bytes[offset, offset + length)} */
    public static ByteString of(byte[] bytes, int offset, int length) {
        return length == 0 ? EMPTY : new ByteString(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    /** @return a byte string of {@code length} zero bytes */
    public static ByteString zeros(int length) {
        return length == 0 ? EMPTY : new ByteString(new byte[length]);
    }

    /** @return the ISO-8859-1 bytes of {@code text} (the ANSI strings of KD are single-byte) */
    public static ByteString latin1(String text) {
        return of(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** @return the bytes spelled by a hex string such as {@code "30 30 30 30"} (spaces optional) */
    public static ByteString hex(String hex) {
        return of(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    /** @return the number of bytes */
    public int length() {
        return bytes.length;
    }

    /** @return true if there are no bytes */
    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** @return the byte at {@code index} */
    public byte get(int index) {
        return bytes[index];
    }

    /** @return the byte at {@code index} as 0..255 */
    public int getUnsigned(int index) {
        return bytes[index] & 0xFF;
    }

    /** @return the bytes themselves, not a copy: for this package's read-only loops (the checksum) */
    byte[] sharedArray() {
        return bytes;
    }

    /** @return a copy of the bytes */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** Copies the bytes into {@code dst} at {@code offset}. */
    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, bytes.length);
    }

    /** @return a read-only view of the bytes */
    public ByteBuffer asReadOnlyBuffer() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** @return the bytes {@code [from, to)} */
    public ByteString substring(int from, int to) {
        if (from == 0 && to == bytes.length) {
            return this;
        }
        return of(bytes, from, to - from);
    }

    /** @return this followed by {@code other} */
    public ByteString concat(ByteString other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        byte[] out = Arrays.copyOf(bytes, bytes.length + other.bytes.length);
        System.arraycopy(other.bytes, 0, out, bytes.length, other.bytes.length);
        return new ByteString(out);
    }

    /** @return the bytes decoded as ISO-8859-1 */
    public String toLatin1() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** @return all bytes as lower-case hex separated by spaces */
    public String toHex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteString other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** @return the length and the first bytes in hex, e.g. {@code [3 bytes: 01 02 03]} */
    @Override
    public String toString() {
        if (bytes.length <= TO_STRING_LIMIT) {
            return "[" + bytes.length + " bytes: " + HEX.formatHex(bytes) + "]";
        }
        return "[" + bytes.length + " bytes: " + HEX.formatHex(bytes, 0, TO_STRING_LIMIT) + " ...]";
    }
}
