package dev.debugport.analysis;

/** Reads a debuggee's memory (ReadProcessMemory behind it, on either platform). */
@FunctionalInterface
public interface MemoryReader {
    /**
     * Reads up to {@code length} bytes at {@code address} into {@code buffer} from {@code offset}.
     *
     * @return how many bytes were read, from the start: fewer than {@code length} when the range runs into memory
     *         that cannot be read, 0 when {@code address} itself cannot
     */
    int read(long address, byte[] buffer, int offset, int length);
}
