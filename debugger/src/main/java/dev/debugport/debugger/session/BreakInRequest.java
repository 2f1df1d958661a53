package dev.debugport.debugger.session;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A user's request to break in (Ctrl-C) from its arrival to the stop it causes: when it is due as a
 * DebugBreakProcess, whether that break-in was issued, and when it is over.
 */
final class BreakInRequest {
    /** How long a Ctrl-C that reached the debuggee itself is given to show up as its DBG_CONTROL_C. */
    private static final long OWN_CONTROL_C_GRACE_NS = Duration.ofSeconds(1).toNanos();

    private final AtomicLong breakRequestedAt = new AtomicLong();
    private final boolean controlCReachesTarget;
    private boolean breakInIssued;

    /**
     * @param controlCReachesTarget the debuggee shares the debugger's terminal (run), so a Ctrl-C reaches it as its
     *                              own DBG_CONTROL_C first; a break-in is issued only if that does not come
     */
    BreakInRequest(boolean controlCReachesTarget) {
        this.controlCReachesTarget = controlCReachesTarget;
    }

    /** Asks a running target to break in (Ctrl-C); safe from any thread. */
    void request() {
        breakRequestedAt.compareAndSet(0, System.nanoTime());
    }

    /** Whether the debugger should issue the break-in now: requested, not yet issued, and not left to the debuggee. */
    boolean due() {
        long requested = breakRequestedAt.get();
        return requested != 0 && !breakInIssued
                && (!controlCReachesTarget || System.nanoTime() - requested > OWN_CONTROL_C_GRACE_NS);
    }

    /** DebugBreakProcess was called (or there was nothing to call it on): the request is not issued twice. */
    void issued() {
        breakInIssued = true;
    }

    /** Whether a STATUS_BREAKPOINT that is not the debugger's own is the break-in's (issued or still requested). */
    boolean expectsBreakpoint() {
        return breakInIssued || breakRequestedAt.get() != 0;
    }

    /** The break-in's STATUS_BREAKPOINT arrived. */
    void breakpointArrived() {
        breakInIssued = false;
    }

    /** The request is answered: the target stopped, or the debuggee reported the Ctrl-C as its own DBG_CONTROL_C. */
    void clear() {
        breakRequestedAt.set(0);
    }
}
