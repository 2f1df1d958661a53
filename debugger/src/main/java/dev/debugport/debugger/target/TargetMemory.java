package dev.debugport.debugger.target;

import dev.debugport.analysis.MemoryReader;
import dev.debugport.kernel.UserPointer;
import dev.debugport.nt.Handle;
import dev.debugport.win32.Kernel32;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;
import java.util.OptionalLong;

/** A debuggee's memory through ReadProcessMemory / WriteProcessMemory, with the gaps cdb shows as {@code ??}. */
public final class TargetMemory implements MemoryReader {
    private static final long PAGE = 0x1000;

    private final Kernel32 k32;
    private final Handle process;

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
        if (into != buffer) {
            System.arraycopy(into, 0, buffer, offset, n);
        }
        return n;
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

    /** Writes every byte or reports failure (WriteProcessMemory). */
    public boolean write(long address, byte[] bytes) {
        return k32.writeProcessMemory(process, address, bytes, bytes.length, null);
    }
}
