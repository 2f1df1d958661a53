package dev.debugport.linux.platform;

import dev.debugport.linux.libc.LibC;
import dev.debugport.linux.ptrace.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Reads many 8-byte words scattered over another process's memory with few {@code process_vm_readv} calls: the
 * remote side is one iovec per word, the local side one buffer, and the kernel fills the buffer word after word. An
 * attach reads a {@code start_routine} out of every thread's struct pthread this way: one system call for a thousand
 * threads instead of a thousand.
 *
 * <p>The kernel stops at the first word it cannot read (a short count); the batch goes on after that word.
 */
final class RemoteWords {
    /** {@code IOV_MAX}: iovecs per call. */
    private static final int IOV_MAX = 1024;
    private static final long WORD = 8;

    private RemoteWords() {
    }

    /**
     * The words at {@code addresses} in {@code pid}; 0 for an address of 0, for a word that cannot be read, and for
     * every word when the process is gone.
     */
    static long[] read(int pid, long[] addresses) {
        long[] values = new long[addresses.length];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LibC.allocateCallState(arena);
            MemorySegment local = arena.allocate(LibC.IOVEC);
            MemorySegment buffer = arena.allocate(WORD * Math.min(IOV_MAX, Math.max(1, addresses.length)));
            MemorySegment remote = arena.allocate(LibC.IOVEC, Math.min(IOV_MAX, Math.max(1, addresses.length)));
            int next = 0;
            while (next < addresses.length) {
                // One batch: the readable words from `next` on, skipping null addresses, up to IOV_MAX.
                int[] index = new int[IOV_MAX];
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
                    local.set(JAVA_LONG, 0, buffer.address());
                    local.set(JAVA_LONG, 8, WORD * (count - done));
                    long n = LibC.processVmReadv(state, pid, local, 1, remote.asSlice(2 * WORD * done), count - done, 0);
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
        }
        return values;
    }
}
