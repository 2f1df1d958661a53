package dev.debugport.kd.target;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The synthetic kernel half of the target's address space: the regions the engine maps (the nt image, HAL, kdcom,
 * KUSER_SHARED_DATA, the pool that holds EPROCESS/ETHREAD/LDR records) and their bytes, in 4 KiB pages that are
 * materialised on first write (a mapped page never written reads as zeros). Reads and writes stop at the first
 * unmapped byte, like MmCopyVirtualMemory.
 *
 * <p>Confined to the engine thread (the kernel debugger owns it; nothing else reads it).
 */
final class KernelSpace {
    static final int PAGE = 0x1000;

    /** Mapped regions: start -&gt; end (exclusive), non-overlapping. */
    private final TreeMap<Long, Long> regions = new TreeMap<>(Long::compareUnsigned);
    private final Map<Long, byte[]> pages = new HashMap<>();

    /** Maps {@code [start, start + size)} (page-rounded) as zero-filled memory. */
    void map(long start, long size) {
        long s = start & ~(long) (PAGE - 1);
        long e = (start + size + PAGE - 1) & ~(long) (PAGE - 1);
        regions.put(s, e);
    }

    boolean isMapped(long address) {
        Map.Entry<Long, Long> r = regions.floorEntry(address);
        return r != null && Long.compareUnsigned(address, r.getValue()) < 0;
    }

    /** @return the bytes copied: fewer than {@code length} if the range runs into unmapped memory */
    int read(long address, byte[] buffer, int offset, int length) {
        return transfer(address, length, (pageBase, inPage, done, n) -> {
            byte[] page = pages.get(pageBase);
            if (page == null) {
                java.util.Arrays.fill(buffer, offset + done, offset + done + n, (byte) 0);
            } else {
                System.arraycopy(page, inPage, buffer, offset + done, n);
            }
        });
    }

    /** @return the bytes written: fewer than {@code length} if the range runs into unmapped memory */
    int write(long address, byte[] buffer, int offset, int length) {
        return transfer(address, length, (pageBase, inPage, done, n) -> System.arraycopy(buffer, offset + done,
                pages.computeIfAbsent(pageBase, k -> new byte[PAGE]), inPage, n));
    }

    /** One piece of a transfer: {@code n} bytes at {@code inPage} of the page at {@code pageBase}, {@code done} in. */
    private interface Piece {
        void copy(long pageBase, int inPage, int done, int n);
    }

    /** Walks {@code length} bytes from {@code address} page by page, up to the first unmapped byte. */
    private int transfer(long address, int length, Piece piece) {
        int done = 0;
        while (done < length) {
            long a = address + done;
            if (!isMapped(a)) {
                break;
            }
            int inPage = (int) (a & (PAGE - 1));
            int n = Math.min(length - done, PAGE - inPage);
            piece.copy(a & ~(long) (PAGE - 1), inPage, done, n);
            done += n;
        }
        return done;
    }

    void write(long address, byte[] bytes) {
        if (write(address, bytes, 0, bytes.length) != bytes.length) {
            throw new IllegalStateException(String.format("synthetic kernel write outside the mapped space at %016x", address));
        }
    }

    void zero(long address, int length) {
        write(address, new byte[length]);
    }

    void putU8(long address, int value) {
        write(address, new byte[] {(byte) value});
    }

    void putU16(long address, int value) {
        write(address, ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value).array());
    }

    void putU32(long address, int value) {
        write(address, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    void putU64(long address, long value) {
        write(address, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    long getU64(long address) {
        byte[] b = new byte[8];
        read(address, b, 0, 8);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** Writes a LIST_ENTRY64 {Flink, Blink}. */
    void putListEntry(long address, long flink, long blink) {
        putU64(address, flink);
        putU64(address + 8, blink);
    }

    /** Writes an ANSI string with a terminating NUL. */
    void putAnsiz(long address, String text) {
        byte[] b = (text + "\0").getBytes(StandardCharsets.ISO_8859_1);
        write(address, b);
    }

    /** Writes a UTF-16LE string with a terminating NUL; returns its length in bytes without the NUL. */
    int putUtf16z(long address, String text) {
        byte[] b = (text + "\0").getBytes(StandardCharsets.UTF_16LE);
        write(address, b);
        return b.length - 2;
    }
}
