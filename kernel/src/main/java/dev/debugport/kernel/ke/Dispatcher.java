package dev.debugport.kernel.ke;

import dev.debugport.nt.NtStatus;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The dispatcher: the one lock that guards every dispatcher object's signal state and wait list (NT's dispatcher
 * database lock), and the wait routines built on it (KeWaitForSingleObject, KeWaitForMultipleObjects).
 *
 * <p>Timeouts follow NT: {@code null} waits forever, 0 polls, a negative value is relative and a positive one is an
 * absolute system time, both in 100 ns units.
 */
public final class Dispatcher {
    static final ReentrantLock LOCK = new ReentrantLock();

    private Dispatcher() {
    }

    /** Implements KeWaitForSingleObject. Returns STATUS_SUCCESS (WAIT_0), STATUS_TIMEOUT, STATUS_ALERTED or STATUS_USER_APC. */
    public static NtStatus waitForSingle(Waiter waiter, DispatcherObject object, boolean alertable, Long timeout) {
        WaitOutcome outcome = waitForAny(waiter, List.of(object), alertable, timeout);
        return outcome.status();
    }

    /**
     * Implements KeWaitForMultipleObjects with WaitAny: returns the index of the first signalled object (its state
     * consumed as the object's type requires) or the status that ended the wait.
     */
    public static WaitOutcome waitForAny(Waiter waiter, List<? extends DispatcherObject> objects, boolean alertable, Long timeout) {
        long deadline = deadlineNanos(timeout);
        LOCK.lock();
        try {
            for (DispatcherObject o : objects) {
                o.addWaiter(waiter);
            }
            try {
                while (true) {
                    for (int i = 0; i < objects.size(); i++) {
                        DispatcherObject o = objects.get(i);
                        if (o.isSignaledLocked()) {
                            o.acquireLocked();
                            return new WaitOutcome(NtStatus.STATUS_SUCCESS, i);
                        }
                    }
                    if (waiter.terminatingLocked()) {
                        return new WaitOutcome(NtStatus.STATUS_THREAD_IS_TERMINATING, -1);
                    }
                    if (alertable) {
                        if (waiter.takeUserApcLocked()) {
                            return new WaitOutcome(NtStatus.STATUS_USER_APC, -1);
                        }
                        if (waiter.takeAlertLocked()) {
                            return new WaitOutcome(NtStatus.STATUS_ALERTED, -1);
                        }
                    }
                    long remaining = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return new WaitOutcome(NtStatus.STATUS_TIMEOUT, -1);
                    }
                    if (remaining == Long.MAX_VALUE) {
                        waiter.condition().awaitUninterruptibly();
                    } else {
                        awaitNanos(waiter, remaining);
                    }
                }
            } finally {
                for (DispatcherObject o : objects) {
                    o.removeWaiter(waiter);
                }
            }
        } finally {
            LOCK.unlock();
        }
    }

    private static void awaitNanos(Waiter waiter, long nanos) {
        try {
            waiter.condition().awaitNanos(nanos);
        } catch (InterruptedException e) {
            // A Java interrupt is not an NT wake reason; keep the flag and let the loop re-check.
            Thread.currentThread().interrupt();
        }
    }

    /** Converts an NT timeout to a System.nanoTime deadline (Long.MAX_VALUE for an infinite wait). */
    static long deadlineNanos(Long timeout) {
        if (timeout == null) {
            return Long.MAX_VALUE;
        }
        long now = System.nanoTime();
        long relative100ns = timeout <= 0 ? -timeout : Math.max(0, timeout - SystemTime.now());
        if (relative100ns >= (Long.MAX_VALUE - now) / 100) {
            return Long.MAX_VALUE - 1;
        }
        return now + relative100ns * 100;
    }

    /** Runs {@code action} under the dispatcher lock (used by objects that change signal state). */
    static void locked(Runnable action) {
        LOCK.lock();
        try {
            action.run();
        } finally {
            LOCK.unlock();
        }
    }

    /** Reads state guarded by the dispatcher lock, under the lock. */
    static <T> T read(Supplier<T> reader) {
        LOCK.lock();
        try {
            return reader.get();
        } finally {
            LOCK.unlock();
        }
    }

    /** The result of a multi-object wait: the status and, for STATUS_SUCCESS, the index of the satisfied object. */
    public record WaitOutcome(NtStatus status, int index) {
    }
}
