package dev.debugport.linux.ptrace;

import dev.debugport.linux.libc.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Per-thread native memory for system calls: the errno capture segment, a small buffer and room for a few iovecs, so
 * that the hot calls (ptrace, waitpid, process_vm_readv) do not allocate. Each thread gets its own; a call uses it
 * only for its own duration and never calls another user of the same buffer meanwhile.
 */
final class Scratch {
    static final long BUFFER_SIZE = 4096;
    /** How many iovecs {@link #iovecs} holds: one local and the remote ones of a transfer of up to 16 pages. */
    static final long IOVEC_COUNT = 17;

    private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

    final MemorySegment state;
    final MemorySegment buffer;
    final MemorySegment iovecs;

    private Scratch() {
        Arena arena = Arena.ofAuto();
        state = LibC.allocateCallState(arena);
        buffer = arena.allocate(BUFFER_SIZE, 16);
        iovecs = arena.allocate(LibC.IOVEC, IOVEC_COUNT);
    }

    static Scratch get() {
        return CURRENT.get();
    }

    int errno() {
        return LibC.errno(state);
    }
}
