package dev.debugport.kd.target;

import dev.debugport.kernel.Kernel;

/**
 * Implements KdEnterDebugger and KdExitDebugger: freezing and thawing every thread of the machine (KeFreezeExecution,
 * KeThawExecution) around one stay in the debugger, and KdEnteredDebugger. Also the freeze without a host for the
 * engine's own work on guest memory. Engine thread; {@link #inDebugger} is read from any thread.
 */
final class KdDebuggerEntry {
    private final Kernel kernel;
    private final KdFlags flags;
    private final KdTargetPort port;
    private final KdBreakpointTable breakpoints;
    private final KdKernelImage image;
    private volatile boolean inDebugger;

    KdDebuggerEntry(Kernel kernel, KdFlags flags, KdTargetPort port, KdBreakpointTable breakpoints,
            KdKernelImage image) {
        this.kernel = kernel;
        this.flags = flags;
        this.port = port;
        this.breakpoints = breakpoints;
        this.image = image;
    }

    /** @return true while the machine is inside the debugger (frozen) */
    boolean inDebugger() {
        return inDebugger;
    }

    /**
     * Implements KdEnterDebugger: freezes every thread of the machine (KeFreezeExecution), sets KdEnteredDebugger,
     * and (for a stop the host will inspect) settles owed breakpoints and rebuilds the synthetic kernel's lists.
     */
    void enter(KdStop stop, boolean forHost) {
        inDebugger = true;
        kernel.freezeExecution();
        flags.setEntered(true);
        if (forHost) {
            port.drainStale();
            breakpoints.settleOwed(stop.process);
            image.refresh(stop, flags);
        }
    }

    /** Implements KdExitDebugger: thaws the machine (KeThawExecution). */
    void exit() {
        inDebugger = false;
        port.flush(); // the ACK of the host's continue, which no reply of ours carries
        kernel.thawExecution();
    }

    /** Internal work on guest memory with the machine still (no KdEnteredDebugger: no host is involved). */
    void freezeForMaintenance(Runnable work) {
        kernel.freezeExecution();
        try {
            work.run();
        } finally {
            kernel.thawExecution();
        }
    }
}
