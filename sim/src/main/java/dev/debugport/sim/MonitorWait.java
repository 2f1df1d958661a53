package dev.debugport.sim;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A host-side wait on an object's monitor: {@code Object.wait} until a condition holds or a timeout passes. Used by
 * the machine's host-facing waits (signals, stop points), whose state changes call {@code notifyAll} on the same
 * monitor.
 */
final class MonitorWait {
    private MonitorWait() {
    }

    /**
     * Waits on {@code monitor}, which the caller holds, until {@code condition} is true or {@code timeout} has passed.
     * An interrupt does not cut the wait short (the host's waits are bounded anyway); it is restored on return.
     *
     * @return whether the condition became true in time
     */
    static boolean until(Object monitor, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    monitor.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
