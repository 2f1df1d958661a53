package dev.debugport.kd.target;

/**
 * What the engine does when its host goes away: KdDebuggerNotPresent becomes TRUE, and (a deviation from Windows, as
 * KdDisableDebugger does) every breakpoint of the engine is removed, so nothing trips over an int3 nobody will
 * handle.
 */
final class KdHostLoss {
    private final KdTargetPort port;
    private final KdBreakpointTable breakpoints;
    private final KdDebuggerEntry entry;
    private final KdEngineThread engineThread;

    KdHostLoss(KdTargetPort port, KdBreakpointTable breakpoints, KdDebuggerEntry entry, KdEngineThread engineThread) {
        this.port = port;
        this.breakpoints = breakpoints;
        this.entry = entry;
        this.engineThread = engineThread;
    }

    /**
     * The host of connection {@code generation} is gone: KdDebuggerNotPresent (unless a newer host already took its
     * place), and no breakpoint of ours stays behind. Engine thread.
     */
    void hostLost(long generation) {
        port.markHostLost(generation);
        breakpoints.removeAll();
    }

    /** A connection closed (link thread): remove the breakpoints once the engine is free. */
    void connectionClosed() {
        if (!engineThread.isClosed()) {
            engineThread.submit(() -> {
                if (entry.inDebugger()) {
                    breakpoints.removeAll();
                } else if (breakpoints.count() > 0) {
                    entry.freezeForMaintenance(breakpoints::removeAll);
                }
                return null;
            }, null);
        }
    }
}
