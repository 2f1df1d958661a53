package dev.debugport.kd.target;

import dev.debugport.kd.layout.Win7Amd64;
import dev.debugport.kernel.ps.EProcess;

/**
 * The software breakpoint table of kdbreak.c ({@code spec/kd.md} §8.7): 32 slots, handle = index + 1. A breakpoint
 * is the byte {@code 0xCC} written over the original byte through the memory the address belongs to (the synthetic
 * kernel, or the user address space of the process that was current when it was set: a user-address breakpoint is
 * only applied in that process).
 *
 * <pre>
 *  flags  ACTIVE 1    in use
 *         PENDING 2   the address could not be read yet: 0xCC still owed (retried at every entry)
 *         SUSPENDED 4 (kept for the spec's numbering; a disabled debugger removes its breakpoints instead)
 *         EXPIRED 8   removal could not write the original byte back: still owed
 * </pre>
 *
 * Confined to the engine thread.
 */
final class KdBreakpointTable {
    static final int SLOTS = 32;
    static final int ACTIVE = 1;
    static final int PENDING = 2;
    static final int EXPIRED = 8;
    static final int BREAKPOINT_INSTRUCTION = 0xCC;

    private static final class Entry {
        int flags;
        long address;
        int original;
        EProcess process;
    }

    private final KdMemory memory;
    private final Entry[] entries = new Entry[SLOTS];
    /** Slots in use, readable from any thread. */
    private volatile int inUse;

    KdBreakpointTable(KdMemory memory) {
        this.memory = memory;
        for (int i = 0; i < SLOTS; i++) {
            entries[i] = new Entry();
        }
    }

    /**
     * Implements KdpAddBreakpoint.
     *
     * @param current the current process (the owner of a user-address breakpoint)
     * @return the handle (1..32), or 0 if the table is full or a live breakpoint already sits there
     */
    int add(long address, EProcess current) {
        EProcess owner = Win7Amd64.isUserAddress(address) ? current : null;
        for (int i = 0; i < SLOTS; i++) {
            Entry e = entries[i];
            if (e.flags != 0 && e.address == address && e.process == owner) {
                if ((e.flags & EXPIRED) != 0) {
                    // Removal of this one is still owed: revive it instead (the 0xCC is still there).
                    e.flags = ACTIVE;
                    recount();
                    return i + 1;
                }
                return 0;
            }
        }
        for (int i = 0; i < SLOTS; i++) {
            Entry e = entries[i];
            if (e.flags == 0) {
                e.address = address;
                e.process = owner;
                int original = memory.readByte(owner, address);
                if (original >= 0 && memory.writeByte(owner, address, BREAKPOINT_INSTRUCTION)) {
                    e.original = original;
                    e.flags = ACTIVE;
                } else {
                    e.original = -1;
                    e.flags = ACTIVE | PENDING;
                }
                recount();
                return i + 1;
            }
        }
        return 0;
    }

    /**
     * Implements KdpDeleteBreakpoint.
     *
     * @return false for an unknown or free handle
     */
    boolean delete(int handle) {
        if (handle < 1 || handle > SLOTS) {
            return false;
        }
        Entry e = entries[handle - 1];
        if (e.flags == 0 || (e.flags & EXPIRED) != 0) {
            return false;
        }
        remove(e);
        recount();
        return true;
    }

    /**
     * Implements KdpDeleteBreakpointRange: removes every breakpoint in {@code [from, to]} that applies in
     * {@code current}.
     *
     * @return true if any was removed
     */
    boolean deleteRange(long from, long to, EProcess current) {
        boolean any = false;
        for (Entry e : entries) {
            if (e.flags != 0 && (e.flags & EXPIRED) == 0 && Long.compareUnsigned(e.address, from) >= 0
                    && Long.compareUnsigned(e.address, to) <= 0 && appliesIn(e, current)) {
                remove(e);
                any = true;
            }
        }
        recount();
        return any;
    }

    /** Removes every breakpoint (a disabled debugger, a lost host, a reboot). */
    void removeAll() {
        for (Entry e : entries) {
            if (e.flags != 0) {
                remove(e);
            }
        }
        recount();
    }

    /** Implements KdSetOwedBreakpoints: writes owed breakpoints and owed restores that have become possible. */
    void settleOwed(EProcess current) {
        for (Entry e : entries) {
            if (e.flags == 0 || !appliesIn(e, current)) {
                continue;
            }
            if ((e.flags & EXPIRED) != 0) {
                remove(e);
            } else if ((e.flags & PENDING) != 0) {
                int original = memory.readByte(e.process, e.address);
                if (original >= 0 && memory.writeByte(e.process, e.address, BREAKPOINT_INSTRUCTION)) {
                    e.original = original;
                    e.flags = ACTIVE;
                }
            }
        }
        recount();
    }

    /** True when a breakpoint of the table has its 0xCC at {@code address} in {@code current} (KdpTrap: "ours?"). */
    boolean isPlantedAt(long address, EProcess current) {
        for (Entry e : entries) {
            if ((e.flags & ACTIVE) != 0 && (e.flags & (PENDING | EXPIRED)) == 0 && e.address == address && appliesIn(e, current)
                    && e.original != BREAKPOINT_INSTRUCTION) {
                return true;
            }
        }
        return false;
    }

    /** @return the number of slots in use (any thread) */
    int count() {
        return inUse;
    }

    private void recount() {
        int n = 0;
        for (Entry e : entries) {
            if (e.flags != 0) {
                n++;
            }
        }
        inUse = n;
    }

    private static boolean appliesIn(Entry e, EProcess current) {
        return e.process == null || e.process == current;
    }

    private void remove(Entry e) {
        if ((e.flags & PENDING) != 0 || e.original < 0) {
            e.flags = 0;
            return;
        }
        if (e.original == BREAKPOINT_INSTRUCTION) {
            e.flags = 0; // the original already was an int3: leave it
            return;
        }
        if (e.process != null && e.process.hasExited()) {
            e.flags = 0; // its address space is gone with it
            return;
        }
        if (memory.writeByte(e.process, e.address, e.original)) {
            e.flags = 0;
        } else {
            e.flags = EXPIRED;
        }
    }
}
