package dev.debugport.kernel.ke;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Something a thread can wait on (the DISPATCHER_HEADER): a signal state and a list of waiting threads, both guarded
 * by the {@link Dispatcher} lock.
 */
public abstract class DispatcherObject {
    private final Set<Waiter> waiters = new LinkedHashSet<>();

    /** Whether a wait on this object would be satisfied now. Called with the dispatcher lock held. */
    protected abstract boolean isSignaledLocked();

    /** Consumes the signal for one satisfied waiter (auto-reset objects reset here). Called with the lock held. */
    protected abstract void acquireLocked();

    /** Whether the object is signalled. */
    public final boolean isSignaled() {
        return Dispatcher.read(this::isSignaledLocked);
    }

    final void addWaiter(Waiter waiter) {
        waiters.add(waiter);
    }

    final void removeWaiter(Waiter waiter) {
        waiters.remove(waiter);
    }

    /** Wakes every thread waiting on this object so that it re-checks the signal state. Called with the lock held. */
    protected final void wakeWaitersLocked() {
        for (Waiter w : waiters) {
            w.condition().signal();
        }
    }
}
