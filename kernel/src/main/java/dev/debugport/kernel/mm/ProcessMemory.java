package dev.debugport.kernel.mm;

/**
 * A process's user address space as the kernel sees it (MmCopyVirtualMemory's view). Each platform supplies one:
 * the simulated platform a sparse page map, the Linux platform the real process.
 */
public interface ProcessMemory {
    /**
     * Copies up to {@code length} bytes at {@code address} into {@code buffer}; stops at the first inaccessible byte.
     *
     * @return the number of bytes copied (short when the range runs into unmapped memory)
     */
    int read(long address, byte[] buffer, int offset, int length);

    /**
     * Copies up to {@code length} bytes into the process at {@code address}, the way a debugger's
     * WriteProcessMemory does (it may write read-only code pages, as breakpoints need); stops at unmapped memory.
     *
     * @return the number of bytes written
     */
    int write(long address, byte[] buffer, int offset, int length);
}
