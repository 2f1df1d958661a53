package dev.debugport.kd.host;

import java.util.ArrayList;
import java.util.List;

/**
 * The host's breakpoint table. As WinDbg does, the breakpoints live on the host and are written into the target only
 * while it runs (each with the target's handle then), so a stopped target's memory shows no int3 of ours.
 */
final class KdHostBreakpoints {
    /** One host breakpoint: inserted (with a target handle) only while the target runs. */
    static final class Breakpoint {
        final int id;
        final long address;
        int handle;

        Breakpoint(int id, long address) {
            this.id = id;
            this.address = address;
        }
    }

    private final KdTarget target;
    private final KdConsole console;
    private final List<Breakpoint> breakpoints = new ArrayList<>();
    private volatile boolean needsBreakpointRemoval;
    /** The target handle of {@code p}'s breakpoint after a call while it is inserted, else 0. */
    private int stepOverHandle;

    KdHostBreakpoints(KdTarget target, KdConsole console) {
        this.target = target;
        this.console = console;
    }

    /** @return the breakpoints, by id */
    List<Breakpoint> all() {
        return breakpoints;
    }

    boolean anyAt(long address) {
        return breakpoints.stream().anyMatch(b -> b.address == address);
    }

    /**
     * Adds a breakpoint with the lowest free id.
     *
     * @return false if one is already at {@code address}
     */
    boolean add(long address) {
        if (anyAt(address)) {
            return false;
        }
        int id = 0;
        while (true) {
            int candidate = id;
            if (breakpoints.stream().noneMatch(b -> b.id == candidate)) {
                break;
            }
            id++;
        }
        breakpoints.add(new Breakpoint(id, address));
        breakpoints.sort((x, y) -> Integer.compare(x.id, y.id));
        return true;
    }

    /** Drops breakpoints, taking them out of a stopped target first if they are in. */
    void remove(List<Breakpoint> gone) {
        KdHostClient c = target.client();
        for (Breakpoint bp : gone) {
            if (bp.handle != 0 && c != null && c.isStopped()) {
                c.restoreBreakpoint(bp.handle);
            }
            breakpoints.remove(bp);
        }
    }

    /** The target stopped: whatever we inserted must come out before the next command looks at it. */
    void noteStop() {
        needsBreakpointRemoval = needsBreakpointRemoval || breakpoints.stream().anyMatch(b -> b.handle != 0);
    }

    /** The target rebooted: it forgot every breakpoint written into it. */
    void forgetInserted() {
        for (Breakpoint bp : breakpoints) {
            bp.handle = 0; // the target forgets its breakpoints
        }
    }

    /** Writes the step-over breakpoint of {@code p} after a call; @return false if the target refused it */
    boolean insertStepOver(KdHostClient c, long returnAddress) {
        stepOverHandle = c.writeBreakpoint(returnAddress);
        return stepOverHandle != 0;
    }

    void removeInserted() {
        if (stepOverHandle != 0) {
            target.connected().restoreBreakpoint(stepOverHandle);
            stepOverHandle = 0;
        }
        if (!needsBreakpointRemoval) {
            return;
        }
        needsBreakpointRemoval = false;
        for (Breakpoint bp : breakpoints) {
            if (bp.handle != 0) {
                target.connected().restoreBreakpoint(bp.handle); // the target may have removed it already: ignored
                bp.handle = 0;
            }
        }
    }

    /** Writes every breakpoint but the one at {@code skipAddress} (the PC being stepped off) before the target runs. */
    void insert(long skipAddress) {
        for (Breakpoint bp : breakpoints) {
            if (bp.address != skipAddress && bp.handle == 0) {
                bp.handle = target.connected().writeBreakpoint(bp.address);
                if (bp.handle == 0) {
                    console.println(String.format("kd: breakpoint %d at %s could not be written", bp.id, target.addr(bp.address)));
                }
            }
        }
        needsBreakpointRemoval = true;
    }
}
