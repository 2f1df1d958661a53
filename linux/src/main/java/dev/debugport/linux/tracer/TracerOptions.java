package dev.debugport.linux.tracer;

import java.time.Duration;
import java.util.Objects;

/**
 * Tracer settings.
 *
 * @param closePolicy  what {@link Tracer#close()} does with the processes still traced
 * @param closeTimeout how long close waits for tracees to stop or die before giving up on them
 * @param threadName   the tracer thread's name
 */
public record TracerOptions(ClosePolicy closePolicy, Duration closeTimeout, String threadName) {
    /** What close does with each traced process. */
    public enum ClosePolicy {
        /** Kill the processes marked kill-on-close (launched ones, by default), detach the others (attached ones). */
        PER_PROCESS,
        /** Kill every traced process. */
        KILL_ALL,
        /** Detach from every traced process (launched ones keep running as children of the JVM). */
        DETACH_ALL
    }

    public TracerOptions {
        Objects.requireNonNull(closePolicy);
        Objects.requireNonNull(closeTimeout);
        Objects.requireNonNull(threadName);
    }

    public static TracerOptions defaults() {
        return new TracerOptions(ClosePolicy.PER_PROCESS, Duration.ofSeconds(10), "debugport-tracer");
    }

    public TracerOptions withClosePolicy(ClosePolicy p) {
        return new TracerOptions(p, closeTimeout, threadName);
    }
}
