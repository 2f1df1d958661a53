package dev.debugport.linux.platform;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.debugport.linux.ptrace.Posix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Batched word reads, tried on the JVM's own memory (process_vm_readv may name the calling process). */
class RemoteWordsTest {
    private static final long UNMAPPED = 0x8;

    @Test
    void wordsAfterAnUnreadableOneAreStillRead() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment words = arena.allocate(JAVA_LONG, 3);
            words.setAtIndex(JAVA_LONG, 0, 0x1111);
            words.setAtIndex(JAVA_LONG, 1, 0x2222);
            words.setAtIndex(JAVA_LONG, 2, 0x3333);
            long at = words.address();
            long[] read = RemoteWords.read(Posix.getpid(), new long[] {at, 0, at + 8, UNMAPPED, at + 16, UNMAPPED});
            assertArrayEquals(new long[] {0x1111, 0, 0x2222, 0, 0x3333, 0}, read);
        }
    }

    @Test
    void moreWordsThanOneCallTakes() {
        int n = 2500; // over two IOV_MAX batches, every third address unreadable
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment words = arena.allocate(JAVA_LONG, n);
            long[] addresses = new long[n];
            long[] expected = new long[n];
            for (int i = 0; i < n; i++) {
                words.setAtIndex(JAVA_LONG, i, i + 1);
                addresses[i] = i % 3 == 2 ? UNMAPPED : words.address() + 8L * i;
                expected[i] = i % 3 == 2 ? 0 : i + 1;
            }
            assertArrayEquals(expected, RemoteWords.read(Posix.getpid(), addresses));
        }
    }

    @Test
    void aProcessThatIsGoneGivesZeros() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(JAVA_LONG);
            assertArrayEquals(new long[] {0, 0}, RemoteWords.read((int) p.pid(), new long[] {word.address(), word.address()}));
        }
    }

    @Test
    void noAddressesNoWords() {
        assertArrayEquals(new long[0], RemoteWords.read(Posix.getpid(), new long[0]));
    }
}
