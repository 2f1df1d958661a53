package dev.debugport.linux.libc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The bindings after {@link LibC#link}: calls reach libc, and errno comes back from the capture segment. */
class LibCTest {
    private static final int EBADF = 9;

    @Test
    void linkedBindingsCallLibcAndCaptureErrno() {
        LibC.link();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LibC.allocateCallState(arena);
            assertEquals(ProcessHandle.current().pid(), LibC.getpid(state));
            assertEquals(-1, LibC.close(state, -1));
            assertEquals(EBADF, LibC.errno(state));
        }
    }
}
