package dev.debugport.debugger.target;

import dev.debugport.analysis.MemoryReader;
import dev.debugport.kernel.UserPointer;
import dev.debugport.nt.Handle;
import dev.debugport.win32.Kernel32;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;
import java.util.OptionalLong;

/**
 * A debuggee's memory through ReadProcessMemory / WriteProcessMemory, with the gaps cdb shows as {@code ??}, and the
 * int3 bytes of the debugger's software breakpoints: planted ones stay in memory while the target is stopped (no
 * WriteProcessMemory pair per stop), and every read here shows the program's own byte in their place, as a write
 * over one changes the byte kept for it.
 */
public final class TargetMemory implements MemoryReader {
    private static final long PAGE = 0x1000;
    private static final byte INT3 = (byte) 0xCC;

    private final Kernel32 k32;
    private final Handle process;
    /** Planted int3 addresses and the program's bytes under them. */
    private final java.util.TreeMap<Long, Byte> planted = new java.util.TreeMap<>();

    public TargetMemory(Kernel32 k32, Handle process) {
        this.k32 = k32;
        this.process = process;
    }

    /** Bytes of a range and which of them could be read. */
    public record Block(long address, byte[] bytes, BitSet readable) {
        public boolean readable(int index) {
            return readable.get(index);
        }

        public boolean allReadable(int from, int count) {
            return readable.nextClearBit(from) >= from + count;
        }
    }

    @Override
    public int read(long address, byte[] buffer, int offset, int length) {
        if (length <= 0) {
            return 0;
        }
        byte[] into = offset == 0 ? buffer : new byte[length];
        UserPointer<Long> got = UserPointer.of(0L);
        k32.readProcessMemory(process, address, into, length, got);
        int n = got.get().intValue();
        for (var e : planted.subMap(address, address + n).entrySet()) {
            into[(int) (e.getKey() - address)] = e.getValue();
        }
        if (into != buffer) {
            System.arraycopy(into, 0, buffer, offset, n);
        }
        return n;
    }

    /** Writes an int3 at {@code address}, keeping the byte it replaces; false if the byte cannot be read or written. */
    public boolean plant(long address) {
        if (planted.containsKey(address)) {
            return true;
        }
        byte[] original = new byte[1];
        if (read(address, original, 0, 1) != 1 || !k32.writeProcessMemory(process, address, new byte[] {INT3}, 1, null)) {
            return false;
        }
        planted.put(address, original[0]);
        return true;
    }

    /** Puts the program's bytes back at every planted address not in {@code kept}. */
    public void removeAllBut(java.util.Set<Long> kept) {
        for (var it = planted.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!kept.contains(e.getKey())) {
                it.remove();
                k32.writeProcessMemory(process, e.getKey(), new byte[] {e.getValue()}, 1, null);
            }
        }
    }

    public boolean isPlanted(long address) {
        return planted.containsKey(address);
    }

    /** Reads a range page by page, so that an unreadable page in the middle leaves only its own bytes unknown. */
    public Block readBlock(long address, int length) {
        byte[] bytes = new byte[length];
        BitSet readable = new BitSet(length);
        int done = 0;
        while (done < length) {
            long at = address + done;
            int chunk = (int) Math.min(length - done, PAGE - (at & (PAGE - 1)));
            int n = read(at, bytes, done, chunk);
            readable.set(done, done + n);
            done += chunk;
        }
        return new Block(address, bytes, readable);
    }

    /** The 8-byte little-endian value at {@code address}. */
    public OptionalLong readLong(long address) {
        byte[] b = new byte[8];
        if (read(address, b, 0, 8) != 8) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong());
    }

    /**
     * Writes every byte or reports failure (WriteProcessMemory). A planted int3 in the range stays: the written value
     * becomes the byte kept under it.
     */
    public boolean write(long address, byte[] bytes) {
        var covered = planted.subMap(address, address + bytes.length);
        if (covered.isEmpty()) {
            return k32.writeProcessMemory(process, address, bytes, bytes.length, null);
        }
        byte[] withTraps = bytes.clone();
        for (var e : covered.entrySet()) {
            int at = (int) (e.getKey() - address);
            e.setValue(bytes[at]);
            withTraps[at] = INT3;
        }
        return k32.writeProcessMemory(process, address, withTraps, withTraps.length, null);
    }
}
