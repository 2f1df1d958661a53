package dev.debugport.linux.ptrace;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * process_vm_readv reads of this JVM's own memory (allowed to a process on itself), on both sides of the size up to
 * which a read goes through the thread's scratch buffer, into an array at an offset. Reads of a tracee, short reads
 * and errors are in the tracer's MemoryAndRegistersTest.
 */
class RemoteMemoryTest {
    private static final int PID = (int) ProcessHandle.current().pid();

    @Test
    void readsOfEverySizeLandAtTheirOffset() {
        int size = (int) Scratch.BUFFER_SIZE * 3;
        try (Arena arena = Arena.ofConfined()) {
            // Page-aligned plus 100: the reads cross page boundaries.
            MemorySegment source = arena.allocate(size + 100, 4096).asSlice(100, size);
            byte[] expected = new byte[size];
            for (int i = 0; i < size; i++) {
                expected[i] = (byte) (i * 31 + 7);
            }
            MemorySegment.copy(expected, 0, source, JAVA_BYTE, 0, size);
            for (int length : new int[] {1, 15, 4095, (int) Scratch.BUFFER_SIZE, (int) Scratch.BUFFER_SIZE + 1, size}) {
                for (int offset : new int[] {0, 3}) {
                    byte[] into = new byte[length + offset + 2];
                    Arrays.fill(into, (byte) 0x5A);
                    int n = RemoteMemory.read(PID, source.address() + 1, into, offset, length - 1).orElseThrow();
                    assertEquals(length - 1, n, "length " + length);
                    assertArrayEquals(Arrays.copyOfRange(expected, 1, length), Arrays.copyOfRange(into, offset, offset + n),
                            "length " + length + " at offset " + offset);
                    assertTrue(into[offset + n] == 0x5A && (offset == 0 || into[offset - 1] == 0x5A), "nothing outside");
                }
            }
        }
    }

    @Test
    void aBufferTooSmallForTheLengthIsRefused() {
        assertThrows(IndexOutOfBoundsException.class, () -> RemoteMemory.read(PID, 0x1000, new byte[8], 4, 8));
    }
}
