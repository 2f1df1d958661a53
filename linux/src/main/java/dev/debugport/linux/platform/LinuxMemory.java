package dev.debugport.linux.platform;

import dev.debugport.kernel.mm.ProcessMemory;
import dev.debugport.linux.ptrace.RemoteMemory;
import dev.debugport.linux.ptrace.SysResult;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Linux process's memory as the NT machine sees it ({@link ProcessMemory}): the real address space through
 * {@code process_vm_readv} (any thread, no stop needed; unmapped memory gives a short or zero count, never an error)
 * and, for writes, {@code process_vm_writev} with the forced {@code /proc/pid/mem} fallback for read-only text. A
 * write is made on the calling thread (a debugger's WriteProcessMemory then costs no hand-off to the tracer: two per
 * software-breakpoint hit); only if it comes out short is it made again on the tracer thread, because a kernel
 * booted with {@code proc_mem.force_override=ptrace} allows the forced write to the tracer alone. The
 * {@link ShadowMemory} overlay holds the PEB and TEBs. Bytes the platform itself planted (the int3 on the loader's
 * r_brk) read back as the original code, so a debugger never sees them; a debugger's write over one updates the byte
 * restored at detach (writes, plants and removals take turns on this object's lock).
 */
final class LinuxMemory implements ProcessMemory {
    /** Runs a memory write where it may be made (the tracer thread) and returns its result. */
    interface WriteRunner {
        int run(java.util.function.IntSupplier write);
    }

    private final int pid;
    private final ShadowMemory shadow;
    private final WriteRunner writer;
    /** Planted breakpoints: address to original byte. */
    private final Map<Long, Byte> planted = new ConcurrentHashMap<>();

    LinuxMemory(int pid, ShadowMemory shadow, WriteRunner writer) {
        this.pid = pid;
        this.shadow = shadow;
        this.writer = writer;
    }

    ShadowMemory shadow() {
        return shadow;
    }

    int pid() {
        return pid;
    }

    @Override
    public int read(long address, byte[] buffer, int offset, int length) {
        if (length <= 0) {
            return 0;
        }
        if (ShadowMemory.contains(address)) {
            return shadow.read(address, buffer, offset, length);
        }
        int n = readRaw(address, buffer, offset, length);
        if (n > 0 && !planted.isEmpty()) {
            for (Map.Entry<Long, Byte> e : planted.entrySet()) {
                long at = e.getKey();
                if (at >= address && at < address + n) {
                    buffer[offset + (int) (at - address)] = e.getValue();
                }
            }
        }
        return n;
    }

    /** A read of the real memory, planted bytes included (the platform's own view). */
    int readRaw(long address, byte[] buffer, int offset, int length) {
        SysResult<Integer> r = RemoteMemory.read(pid, address, buffer, offset, length);
        return r instanceof SysResult.Ok<Integer>(Integer n) ? n : 0;
    }

    @Override
    public int write(long address, byte[] buffer, int offset, int length) {
        if (length <= 0) {
            return 0;
        }
        if (ShadowMemory.contains(address)) {
            return shadow.write(address, buffer, offset, length);
        }
        byte[] bytes = java.util.Arrays.copyOfRange(buffer, offset, offset + length);
        int n = writeOverPlanted(address, bytes);
        return n == length ? n : writer.run(() -> writeOverPlanted(address, bytes));
    }

    /**
     * Writes {@code bytes} at {@code address}, keeping the platform's int3s: a debugger's byte over a planted
     * breakpoint becomes the byte restored later. Repeating it is harmless (the tracer-thread retry does).
     */
    private synchronized int writeOverPlanted(long address, byte[] bytes) {
        byte[] copy = bytes.clone();
        for (Map.Entry<Long, Byte> e : planted.entrySet()) {
            long at = e.getKey();
            if (at >= address && at < address + copy.length) {
                e.setValue(copy[(int) (at - address)]);
                copy[(int) (at - address)] = (byte) 0xCC;
            }
        }
        return writeRaw(address, copy, 0, copy.length);
    }

    /**
     * A write of the real memory, forced into read-only pages (on any thread under the default
     * {@code proc_mem.force_override}; always on the tracer thread).
     */
    int writeRaw(long address, byte[] buffer, int offset, int length) {
        SysResult<Integer> r = RemoteMemory.write(pid, address, buffer, offset, length);
        return r instanceof SysResult.Ok<Integer>(Integer n) ? n : 0;
    }

    /** Plants an int3 at {@code address} (tracer thread); false if the byte could not be read or written. */
    synchronized boolean plant(long address) {
        if (planted.containsKey(address)) {
            return true;
        }
        byte[] b = new byte[1];
        if (readRaw(address, b, 0, 1) != 1) {
            return false;
        }
        if (writeRaw(address, new byte[] {(byte) 0xCC}, 0, 1) != 1) {
            return false;
        }
        planted.put(address, b[0]);
        return true;
    }

    /** Records an int3 that is already in memory (inherited by a fork child) with its original byte. */
    synchronized void adopt(long address, byte original) {
        planted.put(address, original);
    }

    /** Puts back every planted byte (tracer thread). */
    synchronized void removeAll() {
        for (Map.Entry<Long, Byte> e : planted.entrySet()) {
            writeRaw(e.getKey(), new byte[] {e.getValue()}, 0, 1);
        }
        planted.clear();
    }

    Map<Long, Byte> planted() {
        return Map.copyOf(planted);
    }

    boolean isPlanted(long address) {
        return planted.containsKey(address);
    }
}
