package dev.debugport.kernel.ke;

/**
 * A KEVENT: a notification (manual-reset) event stays signalled until reset and satisfies every waiter; a
 * synchronization (auto-reset) event satisfies one waiter and resets itself.
 */
public final class KEvent extends DispatcherObject {
    /** EVENT_TYPE. */
    public enum Type { NOTIFICATION, SYNCHRONIZATION }

    private final Type type;
    private volatile boolean signaled;

    /** Implements KeInitializeEvent. */
    public KEvent(Type type, boolean initialState) {
        this.type = type;
        this.signaled = initialState;
    }

    /** Implements KeSetEvent. */
    public void set() {
        Dispatcher.locked(() -> {
            signaled = true;
            wakeWaitersLocked();
        });
    }

    /** Implements KeClearEvent / KeResetEvent. */
    public void clear() {
        Dispatcher.locked(() -> signaled = false);
    }

    /** The signal state read without the dispatcher lock: a hint for a waiter deciding whether to block yet. */
    public boolean signaledHint() {
        return signaled;
    }

    public Type type() {
        return type;
    }

    @Override
    protected boolean isSignaledLocked() {
        return signaled;
    }

    @Override
    protected void acquireLocked() {
        if (type == Type.SYNCHRONIZATION) {
            signaled = false;
        }
    }
}
