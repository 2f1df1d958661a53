package dev.debugport.linux.ptrace;

import dev.debugport.linux.libc.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Another process's memory.
 *
 * <ul>
 *   <li><b>read</b> uses {@code process_vm_readv}: fast, no stop needed, allowed to any thread that may ptrace the
 *       process. It copies up to the first inaccessible page and returns a short count there; the remote range is
 *       split into one iovec per page so the count is exact at page granularity (the man page says partial transfers
 *       happen only at iovec boundaries; the kernel here splits inside an iovec too, so either way this is exact).
 *       Nothing readable at {@code address} is the error EFAULT.</li>
 *   <li><b>write</b> first uses {@code process_vm_writev}, which honours page protections and so cannot plant an
 *       int3 in read-only text; from the first byte it could not write, it falls back to {@code pwrite} on
 *       {@code /proc/pid/mem}, which writes with FOLL_FORCE (copy-on-write, like PTRACE_POKEDATA). Any thread of
 *       the tracer's process may do that under the default {@code proc_mem.force_override}; with
 *       {@code proc_mem.force_override=ptrace} the kernel allows it to the tracer thread alone, so a caller on
 *       another thread that gets a short count retries on the tracer thread.</li>
 * </ul>
 */
public final class RemoteMemory {
    private RemoteMemory() {
    }

    /** Page size used to split remote ranges (x86-64 base pages). */
    public static final long PAGE_SIZE = 4096;
    /** {@code IOV_MAX}. */
    private static final int IOV_MAX = 1024;

    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;

    /**
     * Reads up to {@code length} bytes at {@code address} into {@code buffer[offset..]}.
     *
     * @return the number of bytes read (short at the first inaccessible page), or EFAULT/ESRCH/EPERM when nothing
     *     could be read
     */
    public static SysResult<Integer> read(int pid, long address, byte[] buffer, int offset, int length) {
        if (length > Scratch.BUFFER_SIZE) {
            return intoArray(buffer, offset, length, (arena, local) -> read(pid, address, local));
        }
        // Most reads are a few bytes (the instruction a debugger shows at each single step, a pointer): this thread's
        // scratch buffer spares them an arena opened and closed around each.
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return SysResult.ok(0);
        }
        MemorySegment local = Scratch.get().buffer;
        SysResult<Integer> r = read(pid, address, local.asSlice(0, length));
        copyOut(r, local, buffer, offset);
        return r;
    }

    /** A transfer between a native segment and the remote process. */
    @FunctionalInterface
    private interface SegmentTransfer {
        SysResult<Integer> apply(Arena arena, MemorySegment local);
    }

    /** Runs a read into a native buffer of {@code length} bytes and copies what was read to {@code buffer[offset..]}. */
    private static SysResult<Integer> intoArray(byte[] buffer, int offset, int length, SegmentTransfer read) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return SysResult.ok(0);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment local = arena.allocate(length);
            SysResult<Integer> r = read.apply(arena, local);
            copyOut(r, local, buffer, offset);
            return r;
        }
    }

    /** Copies the bytes a read got into {@code local} to {@code buffer[offset..]}. */
    private static void copyOut(SysResult<Integer> read, MemorySegment local, byte[] buffer, int offset) {
        if (read instanceof SysResult.Ok<Integer>(Integer n) && n > 0) {
            MemorySegment.copy(local, JAVA_BYTE, 0, buffer, offset, n);
        }
    }

    /** Copies {@code buffer[offset..offset+length)} into a native buffer and runs a write from it. */
    private static SysResult<Integer> fromArray(byte[] buffer, int offset, int length, SegmentTransfer write) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return SysResult.ok(0);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment local = arena.allocate(length);
            MemorySegment.copy(MemorySegment.ofArray(buffer), offset, local, 0, length);
            return write.apply(arena, local);
        }
    }

    /** Reads up to {@code length} bytes at {@code address}; the array is shorter when the read was short. */
    public static SysResult<byte[]> read(int pid, long address, int length) {
        byte[] b = new byte[length];
        return read(pid, address, b, 0, length).map(n -> n == length ? b : Arrays.copyOf(b, n));
    }

    /**
     * Reads {@code local.byteSize()} bytes at {@code address} into the native segment {@code local}.
     *
     * @return bytes read (short at an inaccessible page), or an error when nothing could be read
     */
    public static SysResult<Integer> read(int pid, long address, MemorySegment local) {
        return transfer(pid, address, local, false);
    }

    /** Writes with {@code process_vm_writev} only (no forced write: fails with EFAULT on read-only pages). */
    public static SysResult<Integer> writeVm(int pid, long address, byte[] buffer, int offset, int length) {
        return fromArray(buffer, offset, length, (arena, local) -> transfer(pid, address, local, true));
    }

    /** Writes with {@code pwrite} on {@code /proc/pid/mem} only (forced: works on read-only pages). */
    public static SysResult<Integer> writeProcMem(int pid, long address, byte[] buffer, int offset, int length) {
        return fromArray(buffer, offset, length, (arena, local) -> procMem(arena, pid, address, local, true));
    }

    /** Reads with {@code pread} on {@code /proc/pid/mem} (forced: reads pages without PROT_READ too). */
    public static SysResult<Integer> readProcMem(int pid, long address, byte[] buffer, int offset, int length) {
        return intoArray(buffer, offset, length, (arena, local) -> procMem(arena, pid, address, local, false));
    }

    /**
     * Writes {@code length} bytes the way a debugger's WriteProcessMemory does: {@code process_vm_writev}, then
     * {@code /proc/pid/mem} from the first byte that could not be written (read-only text, for breakpoints).
     *
     * @return bytes written (short at unmapped memory), or an error when nothing could be written
     */
    public static SysResult<Integer> write(int pid, long address, byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return SysResult.ok(0);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment local = arena.allocate(length);
            MemorySegment.copy(MemorySegment.ofArray(buffer), offset, local, 0, length);
            SysResult<Integer> vm = transfer(pid, address, local, true);
            int done = vm instanceof SysResult.Ok<Integer>(Integer n) ? n : 0;
            if (done == length) {
                return vm;
            }
            if (vm instanceof SysResult.Err<Integer> err && (err.errno().equals(Errno.ESRCH)
                    || err.errno().equals(Errno.EPERM))) {
                return vm;
            }
            SysResult<Integer> forced = procMem(arena, pid, address + done, local.asSlice(done), true);
            if (forced instanceof SysResult.Ok<Integer>(Integer n)) {
                return SysResult.ok(done + n);
            }
            return done > 0 ? SysResult.ok(done) : forced;
        }
    }

    private static SysResult<Integer> transfer(int pid, long address, MemorySegment local, boolean write) {
        Scratch s = Scratch.get();
        // As many remote iovecs as pages the range can touch (up to IOV_MAX): a debugger's small reads (the 15 bytes
        // of a single step's instruction) would otherwise clear 16 KiB of iovecs each time. Up to 16 pages, the
        // thread's scratch iovecs do, with no arena.
        long pages = Math.min(IOV_MAX, (local.byteSize() + PAGE_SIZE - 1) / PAGE_SIZE + 1);
        if (pages < Scratch.IOVEC_COUNT) {
            return transfer(s, pid, address, local, write, s.iovecs, s.iovecs.asSlice(LibC.IOVEC.byteSize()), pages);
        }
        try (Arena arena = Arena.ofConfined()) {
            return transfer(s, pid, address, local, write, arena.allocate(LibC.IOVEC), arena.allocate(LibC.IOVEC, pages),
                    pages);
        }
    }

    /**
     * process_vm_readv / process_vm_writev between {@code local} and the remote range at {@code address}, with one
     * remote iovec per page and at most {@code pages} of them per call.
     */
    private static SysResult<Integer> transfer(Scratch s, int pid, long address, MemorySegment local, boolean write,
                                               MemorySegment localIov, MemorySegment remoteIov, long pages) {
        long length = local.byteSize();
        long done = 0;
        while (done < length) {
            long chunkStart = address + done;
            int count = 0;
            long chunkLength = 0;
            while (count < pages && done + chunkLength < length) {
                long at = chunkStart + chunkLength;
                long pageEnd = (at & ~(PAGE_SIZE - 1)) + PAGE_SIZE;
                long n = Math.min(pageEnd - at, length - done - chunkLength);
                long slot = count * LibC.IOVEC.byteSize();
                // iov_base as a plain 64-bit value: no segment object per iovec.
                remoteIov.set(JAVA_LONG, slot, at);
                remoteIov.set(JAVA_LONG, slot + 8, n);
                chunkLength += n;
                count++;
            }
            localIov.set(ADDRESS, 0, local.asSlice(done));
            localIov.set(JAVA_LONG, 8, chunkLength);
            long r = write
                    ? LibC.processVmWritev(s.state, pid, localIov, 1, remoteIov, count, 0)
                    : LibC.processVmReadv(s.state, pid, localIov, 1, remoteIov, count, 0);
            if (r < 0) {
                if (done > 0) {
                    break;
                }
                return SysResult.err(Errno.of(s.errno()), (write ? "process_vm_writev " : "process_vm_readv ")
                        + pid + " @0x" + Long.toHexString(address));
            }
            done += r;
            if (r < chunkLength) {
                break;
            }
        }
        return SysResult.ok((int) done);
    }

    private static SysResult<Integer> procMem(Arena arena, int pid, long address, MemorySegment local, boolean write) {
        Scratch s = Scratch.get();
        String path = "/proc/" + pid + "/mem";
        int fd = LibC.open(s.state, arena.allocateFrom(path), (write ? O_RDWR : O_RDONLY) | O_CLOEXEC, 0);
        if (fd < 0) {
            return SysResult.err(Errno.of(s.errno()), "open " + path);
        }
        try {
            long length = local.byteSize();
            long done = 0;
            while (done < length) {
                long r = write
                        ? LibC.pwrite(s.state, fd, local.asSlice(done), length - done, address + done)
                        : LibC.pread(s.state, fd, local.asSlice(done), length - done, address + done);
                if (r < 0) {
                    if (s.errno() == Errno.EINTR.code()) {
                        continue;
                    }
                    if (done > 0) {
                        break;
                    }
                    return SysResult.err(Errno.of(s.errno()), (write ? "pwrite " : "pread ") + path
                            + " @0x" + Long.toHexString(address));
                }
                if (r == 0) {
                    break;
                }
                done += r;
            }
            return SysResult.ok((int) done);
        } finally {
            LibC.close(s.state, fd);
        }
    }
}
