package dev.debugport.linux.platform;

import dev.debugport.linux.libc.LibC;
import dev.debugport.linux.ptrace.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A run of small reads of another process's memory with {@code process_vm_readv}, sharing one native buffer and one
 * set of iovecs, for the thread that made it (an attach walks a hundred link_map entries and their names, and reads a
 * word out of every thread's struct pthread: with a fresh native allocation per read, the allocations cost more than
 * the reads). {@link #words} reads many scattered words in one call: the remote side is one iovec per word, the
 * local side one buffer that the kernel fills word after word; it stops at the first word it cannot read (a short
 * count), and the batch goes on after that word.
 */
final class RemoteReader implements AutoCloseable {
    /** {@code IOV_MAX}: iovecs per call. */
    private static final int IOV_MAX = 1024;
    private static final long WORD = 8;
    private static final long PAGE = 4096;
    /** The largest single read (at most two pages touched). */
    static final int MAX_READ = 4096;

    private final int pid;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment state = LibC.allocateCallState(arena);
    private final MemorySegment local = arena.allocate(LibC.IOVEC);
    private final MemorySegment remote = arena.allocate(LibC.IOVEC, IOV_MAX);
    private final MemorySegment buffer = arena.allocate(Math.max(MAX_READ, WORD * IOV_MAX));

    RemoteReader(int pid) {
        this.pid = pid;
    }

    /**
     * Reads up to {@code length} bytes (at most {@link #MAX_READ}) at {@code address} into {@code into}; returns how
     * many were read: short where the memory stops being readable, 0 when nothing could be read.
     */
    int read(long address, byte[] into, int length) {
        int n = Math.min(Math.min(length, into.length), MAX_READ);
        // One remote iovec per page, so that the count is exact where a page cannot be read (the kernel guarantees
        // partial transfers at iovec boundaries).
        long first = Math.min(n, PAGE - (address & (PAGE - 1)));
        remote.set(JAVA_LONG, 0, address);
        remote.set(JAVA_LONG, 8, first);
        remote.set(JAVA_LONG, 16, address + first);
        remote.set(JAVA_LONG, 24, n - first);
        long got = LibC.processVmReadv(state, pid, localBuffer(n), 1, remote, first < n ? 2 : 1, 0);
        if (got <= 0) {
            return 0;
        }
        MemorySegment.copy(buffer, JAVA_BYTE, 0, into, 0, (int) got);
        return (int) got;
    }

    /**
     * The words at {@code addresses}; 0 for an address of 0, for a word that cannot be read, and for every word when
     * the process is gone.
     */
    long[] words(long[] addresses) {
        long[] values = new long[addresses.length];
        int[] index = new int[IOV_MAX];
        int next = 0;
        while (next < addresses.length) {
            // One batch: the words from `next` on, skipping null addresses, up to IOV_MAX.
            int count = 0;
            for (int i = next; i < addresses.length && count < IOV_MAX; i++) {
                if (addresses[i] != 0) {
                    remote.setAtIndex(JAVA_LONG, 2L * count, addresses[i]);
                    remote.setAtIndex(JAVA_LONG, 2L * count + 1, WORD);
                    index[count++] = i;
                }
                next = i + 1;
            }
            int done = 0;
            while (done < count) {
                long n = LibC.processVmReadv(state, pid, localBuffer(WORD * (count - done)), 1,
                        remote.asSlice(2 * WORD * done), count - done, 0);
                if (n < 0 && LibC.errno(state) != Errno.EFAULT.code()) {
                    return values; // the process is gone, or not ours to read: nothing more can be read
                }
                int whole = n <= 0 ? 0 : (int) (n / WORD);
                for (int w = 0; w < whole; w++) {
                    values[index[done + w]] = buffer.getAtIndex(JAVA_LONG, w);
                }
                // The word at done + whole could not be read (or only in part): leave it 0 and go on after it.
                done += whole + 1;
            }
        }
        return values;
    }

    /** The local iovec: the start of the buffer, {@code length} bytes. */
    private MemorySegment localBuffer(long length) {
        local.set(JAVA_LONG, 0, buffer.address());
        local.set(JAVA_LONG, 8, length);
        return local;
    }

    @Override
    public void close() {
        arena.close();
    }
}
