package dev.debugport.linux.platform;

import dev.debugport.linux.libc.LibC;
import dev.debugport.linux.ptrace.Errno;
import dev.debugport.linux.ptrace.RemoteMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Reads of another process's memory for one walk over it (an attach walks a hundred link_map entries and their names,
 * and reads a word out of every thread's struct pthread). {@link #read} is {@link RemoteMemory#read} with a failure
 * read as nothing. {@link #words} reads many scattered words in one {@code process_vm_readv}: the remote side is one
 * iovec per word, the local side one buffer, kept for the reader's thread, that the kernel fills word after word; it
 * stops at the first word it cannot read (a short count), and the batch goes on after that word.
 */
final class RemoteReader implements AutoCloseable {
    /** {@code IOV_MAX}: iovecs per call. */
    private static final int IOV_MAX = 1024;
    private static final long WORD = 8;
    /** The largest single read. */
    static final int MAX_READ = 4096;

    private final int pid;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment state = LibC.allocateCallState(arena);
    private final MemorySegment local = arena.allocate(LibC.IOVEC);
    private final MemorySegment remote = arena.allocate(LibC.IOVEC, IOV_MAX);
    private final MemorySegment buffer = arena.allocate(WORD * IOV_MAX);

    RemoteReader(int pid) {
        this.pid = pid;
    }

    /**
     * Reads up to {@code length} bytes (at most {@link #MAX_READ}) at {@code address} into {@code into}; returns how
     * many were read: short where the memory stops being readable, 0 when nothing could be read.
     */
    int read(long address, byte[] into, int length) {
        int n = Math.min(Math.min(length, into.length), MAX_READ);
        return RemoteMemory.read(pid, address, into, 0, n).orElse(0);
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
