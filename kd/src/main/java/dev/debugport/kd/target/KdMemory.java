package dev.debugport.kd.target;

import dev.debugport.kd.layout.Win7Amd64;
import dev.debugport.kernel.mm.ProcessMemory;
import dev.debugport.kernel.ps.EProcess;

/**
 * Virtual memory as the kernel debugger sees it ({@code MmDbgCopyMemory}'s routing): kernel addresses go to the
 * synthetic kernel ({@link KernelSpace}), user addresses to the current process's {@link ProcessMemory}; the
 * KUSER_SHARED_DATA page reads the same at its user address in every process. Non-canonical addresses and a missing
 * address space read nothing. Copies stop at the first inaccessible byte.
 */
final class KdMemory {
    private final KernelSpace kernel;

    KdMemory(KernelSpace kernel) {
        this.kernel = kernel;
    }

    /** @return the bytes read into {@code buffer[offset..]}, possibly fewer than {@code length} */
    int read(EProcess process, long address, byte[] buffer, int offset, int length) {
        if (Win7Amd64.isKernelAddress(address)) {
            return kernel.read(address, buffer, offset, length);
        }
        if (!Win7Amd64.isUserAddress(address) || !Win7Amd64.isUserAddress(address + length - 1)) {
            return 0;
        }
        ProcessMemory memory = process == null ? null : process.memory();
        int done = memory == null ? 0 : memory.read(address, buffer, offset, length);
        if (done < length) {
            long a = address + done;
            long shared = Win7Amd64.KUSER_SHARED_DATA_USER;
            if (a >= shared && a < shared + KernelSpace.PAGE) {
                int n = (int) Math.min(length - done, shared + KernelSpace.PAGE - a);
                done += kernel.read(Win7Amd64.KUSER_SHARED_DATA_KERNEL + (a - shared), buffer, offset + done, n);
            }
        }
        return done;
    }

    /** @return the bytes written, possibly fewer than {@code length} */
    int write(EProcess process, long address, byte[] buffer, int offset, int length) {
        if (Win7Amd64.isKernelAddress(address)) {
            return kernel.write(address, buffer, offset, length);
        }
        if (!Win7Amd64.isUserAddress(address) || !Win7Amd64.isUserAddress(address + length - 1)) {
            return 0;
        }
        ProcessMemory memory = process == null ? null : process.memory();
        return memory == null ? 0 : memory.write(address, buffer, offset, length);
    }

    /** @return the byte at {@code address}, or -1 if it cannot be read */
    int readByte(EProcess process, long address) {
        byte[] b = new byte[1];
        return read(process, address, b, 0, 1) == 1 ? b[0] & 0xFF : -1;
    }

    boolean writeByte(EProcess process, long address, int value) {
        return write(process, address, new byte[] {(byte) value}, 0, 1) == 1;
    }
}
