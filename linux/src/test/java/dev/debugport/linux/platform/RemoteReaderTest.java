package dev.debugport.linux.platform;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debugport.linux.TestPrograms;
import dev.debugport.linux.ptrace.Posix;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reads of the JVM's own memory (process_vm_readv may name the calling process), and of a program that holds still
 * for the edge of its memory.
 */
class RemoteReaderTest {
    private static final long UNMAPPED = 0x8;

    @Test
    void wordsAfterAnUnreadableOneAreStillRead() {
        try (Arena arena = Arena.ofConfined(); RemoteReader reader = new RemoteReader(Posix.getpid())) {
            MemorySegment words = arena.allocate(JAVA_LONG, 3);
            words.setAtIndex(JAVA_LONG, 0, 0x1111);
            words.setAtIndex(JAVA_LONG, 1, 0x2222);
            words.setAtIndex(JAVA_LONG, 2, 0x3333);
            long at = words.address();
            long[] read = reader.words(new long[] {at, 0, at + 8, UNMAPPED, at + 16, UNMAPPED});
            assertArrayEquals(new long[] {0x1111, 0, 0x2222, 0, 0x3333, 0}, read);
        }
    }

    @Test
    void moreWordsThanOneCallTakes() {
        int n = 2500; // over two IOV_MAX batches, every third address unreadable
        try (Arena arena = Arena.ofConfined(); RemoteReader reader = new RemoteReader(Posix.getpid())) {
            MemorySegment words = arena.allocate(JAVA_LONG, n);
            long[] addresses = new long[n];
            long[] expected = new long[n];
            for (int i = 0; i < n; i++) {
                words.setAtIndex(JAVA_LONG, i, i + 1);
                addresses[i] = i % 3 == 2 ? UNMAPPED : words.address() + 8L * i;
                expected[i] = i % 3 == 2 ? 0 : i + 1;
            }
            assertArrayEquals(expected, reader.words(addresses));
        }
    }

    @Test
    void bytesAreReadAndAReadOfNothingReadableIsZero() {
        try (Arena arena = Arena.ofConfined(); RemoteReader reader = new RemoteReader(Posix.getpid())) {
            MemorySegment text = arena.allocateFrom("libsmall.so");
            byte[] into = new byte[12];
            assertEquals(12, reader.read(text.address(), into, 12));
            assertEquals("libsmall.so\0", new String(into, java.nio.charset.StandardCharsets.ISO_8859_1));
            assertEquals(0, reader.read(UNMAPPED, into, 12));
        }
    }

    @Test
    void aReadRunningOffTheEndOfTheMemoryIsShort() throws Exception {
        Process p = new ProcessBuilder(TestPrograms.path("threads"), "1", "block").start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            assertEquals("ready", out.readLine());
            int pid = (int) p.pid();
            List<ProcMaps.Mapping> maps = ProcMaps.read(pid).mappings();
            // A readable mapping that nothing follows directly: its stack, at the top of the address space.
            ProcMaps.Mapping stack = maps.stream().filter(m -> m.path().equals("[stack]")).findFirst().orElseThrow();
            assertEquals(0, maps.stream().filter(m -> m.start() == stack.end()).count(), "nothing right after it");
            try (RemoteReader reader = new RemoteReader(pid)) {
                byte[] into = new byte[64];
                Arrays.fill(into, (byte) 1);
                assertEquals(16, reader.read(stack.end() - 16, into, 64), "the 16 bytes up to the end");
            }
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void aProcessThatIsGoneGivesNothing() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        try (Arena arena = Arena.ofConfined(); RemoteReader reader = new RemoteReader((int) p.pid())) {
            MemorySegment word = arena.allocate(JAVA_LONG);
            assertArrayEquals(new long[] {0, 0}, reader.words(new long[] {word.address(), word.address()}));
            assertEquals(0, reader.read(word.address(), new byte[8], 8));
        }
    }

    @Test
    void noAddressesNoWords() {
        try (RemoteReader reader = new RemoteReader(Posix.getpid())) {
            assertArrayEquals(new long[0], reader.words(new long[0]));
        }
    }
}
