package dev.debugport.kd.host;

import dev.debugport.kd.message.KdArchitecture;
import dev.debugport.nt.NtStatus;
import java.time.Duration;

/**
 * The interpreter's bound client, as commands need it: connected, or stopped (a running target is waited for, batch
 * semantics, and the host breakpoints are taken out), with the target's architecture for kd's address format.
 */
final class KdTarget {
    private final Duration stopTimeout;
    private final KdHostBreakpoints breakpoints;
    private volatile KdHostClient client;

    KdTarget(Duration stopTimeout, KdConsole console) {
        this.stopTimeout = stopTimeout;
        this.breakpoints = new KdHostBreakpoints(this, console);
    }

    /** The host breakpoints: inserted while the target runs, removed whenever a command finds it stopped. */
    KdHostBreakpoints breakpoints() {
        return breakpoints;
    }

    /** The client, stopped: waits for a running target to stop (batch semantics), then removes our breakpoints. */
    KdHostClient stopped() {
        KdHostClient c = connected();
        if (!c.isStopped()) {
            KdStateChange s = awaitStop();
            if (s == null) {
                throw notWithinStopTimeout("stop");
            }
        }
        breakpoints.removeInserted();
        return c;
    }

    KdHostClient connected() {
        KdHostClient c = client;
        if (c == null || !c.isConnected()) {
            throw new KdHostException("not connected");
        }
        return c;
    }

    /** Waits for a stop other than a symbol load (those are continued automatically). */
    KdStateChange awaitStop() {
        long deadline = System.nanoTime() + stopTimeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            KdStateChange s = connected().waitForStateChange(Duration.ofNanos(left));
            if (s == null) {
                return null;
            }
            if (!s.isLoadSymbols()) {
                return s;
            }
        }
    }

    void bind(KdHostClient connected) {
        this.client = connected;
    }

    /** @return the bound client, or null before {@link #bind} */
    KdHostClient client() {
        return client;
    }

    /** @return the failure of a wait for the target to {@code what} (stop, come back) that ran out of time */
    KdHostException notWithinStopTimeout(String what) {
        return new KdHostException("the target did not " + what + " within " + stopTimeout.toSeconds() + " s");
    }

    KdArchitecture arch() {
        KdHostClient c = client;
        return c == null ? KdArchitecture.AMD64 : c.architecture();
    }

    /** An address in kd's format for the target's architecture. */
    String addr(long a) {
        return KdFormat.address(a, arch());
    }

    static void requireSuccess(NtStatus s, String what) {
        if (!s.isSuccess()) {
            throw new KdHostException(what + " failed: " + s);
        }
    }
}
