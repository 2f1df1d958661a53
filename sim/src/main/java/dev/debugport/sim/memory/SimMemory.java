package dev.debugport.sim.memory;

import dev.debugport.kernel.mm.ProcessMemory;
import java.util.Map;
import java.util.TreeMap;

/**
 * A simulated user address space: a sparse map of 4 KiB pages, each with one PAGE_* protection. Page contents are
 * allocated on first write, so large reserved images cost little.
 *
 * <p>There are two views of the same pages. The {@link ProcessMemory} methods are the debugger's view
 * (NtReadVirtualMemory / NtWriteVirtualMemory through MmCopyVirtualMemory): they ignore read-only and execute
 * protections, so a debugger can plant an int3 in a code page, and stop at the first unmapped or PAGE_NOACCESS byte.
 * The {@code guest*} methods are the guest's own loads, stores and instruction fetches: they honour the protection
 * and report the first byte that faults, without copying anything, so that the access can be retried after an
 * exception handler or debugger fixed the cause.
 *
 * <p>All methods are atomic with respect to each other (one monitor); the page map is small and uncontended.
 */
public final class SimMemory implements ProcessMemory {
    public static final int PAGE_SIZE = 0x1000;
    private static final int PAGE_SHIFT = 12;

    private final TreeMap<Long, Page> pages = new TreeMap<>();

    private static final class Page {
        private byte[] data;
        private int protection;

        Page(int protection) {
            this.protection = protection;
        }

        byte[] dataForWrite() {
            if (data == null) {
                data = new byte[PAGE_SIZE];
            }
            return data;
        }
    }

    /** Rounds {@code size} up to whole pages. */
    public static long pageRound(long size) {
        return (size + PAGE_SIZE - 1) & ~(long) (PAGE_SIZE - 1);
    }

    /**
     * Maps zero-filled pages at a fixed address (the commit half of NtAllocateVirtualMemory / NtMapViewOfSection at a
     * requested base).
     *
     * @return false if the range is not page-aligned, is empty, or overlaps a mapped page
     * @throws IllegalArgumentException if {@code protection} is not a PAGE_* value
     */
    public synchronized boolean map(long address, long size, int protection) {
        requireValid(protection);
        if (address < 0 || (address & (PAGE_SIZE - 1)) != 0 || size <= 0) {
            return false;
        }
        long first = address >>> PAGE_SHIFT;
        long count = pageRound(size) >>> PAGE_SHIFT;
        if (!rangeFree(first, count)) {
            return false;
        }
        for (long i = 0; i < count; i++) {
            pages.put(first + i, new Page(protection));
        }
        return true;
    }

    /**
     * Maps zero-filled pages at the lowest free, {@code alignment}-aligned address in [{@code from}, {@code limit})
     * (the "any base" case of NtAllocateVirtualMemory; the allocation granularity on Windows is 64 KiB).
     *
     * @return the base, or 0 if no such range is free
     */
    public synchronized long mapAnywhere(long from, long limit, long size, long alignment, int protection) {
        requireValid(protection);
        long bytes = pageRound(size);
        long align = Math.max(PAGE_SIZE, alignment);
        for (long base = alignUp(from, align); base + bytes <= limit; base += align) {
            long first = base >>> PAGE_SHIFT;
            long count = bytes >>> PAGE_SHIFT;
            Long used = pages.ceilingKey(first);
            if (used == null || used >= first + count) {
                map(base, bytes, protection);
                return base;
            }
            // Skip past the page that is in the way rather than probing every aligned slot before it.
            long blocked = (used + 1) << PAGE_SHIFT;
            base = alignUp(blocked, align) - align;
        }
        return 0;
    }

    /**
     * Unmaps every mapped page in the range (NtFreeVirtualMemory with MEM_RELEASE, NtUnmapViewOfSection).
     *
     * @return whether any page was mapped there
     */
    public synchronized boolean unmap(long address, long size) {
        long first = address >>> PAGE_SHIFT;
        long count = pageRound(size + (address & (PAGE_SIZE - 1))) >>> PAGE_SHIFT;
        Map<Long, Page> range = pages.subMap(first, true, first + count - 1, true);
        boolean any = !range.isEmpty();
        range.clear();
        return any;
    }

    /**
     * Changes the protection of every page of a range (NtProtectVirtualMemory).
     *
     * @return false (and nothing changed) if any page of the range is unmapped
     */
    public synchronized boolean protect(long address, long size, int protection) {
        requireValid(protection);
        long first = address >>> PAGE_SHIFT;
        long count = pageRound(size + (address & (PAGE_SIZE - 1))) >>> PAGE_SHIFT;
        if (pages.subMap(first, true, first + count - 1, true).size() != count) {
            return false;
        }
        for (long i = 0; i < count; i++) {
            pages.get(first + i).protection = protection;
        }
        return true;
    }

    /** The PAGE_* protection of the page holding {@code address}, or 0 if it is unmapped (NtQueryVirtualMemory). */
    public synchronized int protection(long address) {
        Page p = address < 0 ? null : pages.get(address >>> PAGE_SHIFT);
        return p == null ? 0 : p.protection;
    }

    public synchronized boolean isMapped(long address) {
        return address >= 0 && pages.containsKey(address >>> PAGE_SHIFT);
    }

    /** The number of mapped pages (for diagnostics and tests). */
    public synchronized int mappedPageCount() {
        return pages.size();
    }

    /** The debugger's read (MmCopyVirtualMemory from the target): ignores protection except PAGE_NOACCESS. */
    @Override
    public synchronized int read(long address, byte[] buffer, int offset, int length) {
        return copy(address, buffer, offset, length, false);
    }

    /** The debugger's write: may write read-only and code pages, as planting breakpoints needs. */
    @Override
    public synchronized int write(long address, byte[] buffer, int offset, int length) {
        return copy(address, buffer, offset, length, true);
    }

    /**
     * A guest load: fills {@code buffer} from {@code address} if every byte is readable.
     *
     * @return null on success, else the first faulting byte (and nothing was copied)
     */
    public synchronized MemoryFault guestRead(long address, byte[] buffer) {
        MemoryFault fault = check(address, buffer.length, AccessKind.READ);
        if (fault == null) {
            copy(address, buffer, 0, buffer.length, false);
        }
        return fault;
    }

    /**
     * A guest store: writes {@code data} at {@code address} if every byte is writable.
     *
     * @return null on success, else the first faulting byte (and nothing was written)
     */
    public synchronized MemoryFault guestWrite(long address, byte[] data) {
        MemoryFault fault = check(address, data.length, AccessKind.WRITE);
        if (fault == null) {
            copy(address, data, 0, data.length, true);
        }
        return fault;
    }

    /**
     * An instruction fetch of {@code length} bytes: needs execute permission on every byte.
     *
     * @return null on success (the bytes are in {@code out}), else the first faulting byte
     */
    public synchronized MemoryFault guestFetch(long address, byte[] out) {
        MemoryFault fault = check(address, out.length, AccessKind.EXECUTE);
        if (fault == null) {
            copy(address, out, 0, out.length, false);
        }
        return fault;
    }

    /** The first byte of the range that a guest access of {@code kind} may not touch, or null. */
    public synchronized MemoryFault check(long address, int length, AccessKind kind) {
        long at = address;
        long end = address + length;
        while (at < end) {
            Page p = at < 0 ? null : pages.get(at >>> PAGE_SHIFT);
            if (p == null || !PageProtection.allows(p.protection, kind)) {
                return new MemoryFault(at, kind);
            }
            at = ((at >>> PAGE_SHIFT) + 1) << PAGE_SHIFT;
        }
        return null;
    }

    private int copy(long address, byte[] buffer, int offset, int length, boolean toMemory) {
        int done = 0;
        while (done < length) {
            long at = address + done;
            Page p = at < 0 ? null : pages.get(at >>> PAGE_SHIFT);
            if (p == null || p.protection == PageProtection.PAGE_NOACCESS) {
                break;
            }
            int inPage = (int) (at & (PAGE_SIZE - 1));
            int chunk = Math.min(length - done, PAGE_SIZE - inPage);
            if (toMemory) {
                System.arraycopy(buffer, offset + done, p.dataForWrite(), inPage, chunk);
            } else if (p.data != null) {
                System.arraycopy(p.data, inPage, buffer, offset + done, chunk);
            } else {
                java.util.Arrays.fill(buffer, offset + done, offset + done + chunk, (byte) 0);
            }
            done += chunk;
        }
        return done;
    }

    private boolean rangeFree(long firstPage, long count) {
        Long used = pages.ceilingKey(firstPage);
        return used == null || used >= firstPage + count;
    }

    private static long alignUp(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    private static void requireValid(int protection) {
        if (!PageProtection.isValid(protection)) {
            throw new IllegalArgumentException("not a PAGE_* protection: 0x" + Integer.toHexString(protection));
        }
    }
}
