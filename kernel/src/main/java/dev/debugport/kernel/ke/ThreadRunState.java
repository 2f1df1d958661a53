package dev.debugport.kernel.ke;

/**
 * Whether a thread may execute user code: its suspend count (NtSuspendThread / NtResumeThread, at most
 * {@link #MAXIMUM_SUSPEND_COUNT}) and its process's freeze count (KeFreezeAllThreads, used by DbgkpSuspendProcess)
 * must both be zero. A platform enforces this: the simulated one parks guest threads at their next guest call,
 * the Linux one keeps tracees stopped.
 */
public final class ThreadRunState {
    /** MAXIMUM_SUSPEND_COUNT. */
    public static final int MAXIMUM_SUSPEND_COUNT = 127;

    private final ProcessRunState process;
    private final Waiter waiter;
    private int suspendCount;
    /** True while the thread is held in {@link #awaitRunnable()} (it executes nothing until it may run). */
    private boolean parked;
    /** True while an asynchronous platform holds the thread stopped where it is ({@link #setStoppedByPlatform}). */
    private boolean stoppedByPlatform;
    private final java.util.List<java.util.concurrent.CompletableFuture<Void>> runnableWaiters = new java.util.ArrayList<>();

    public ThreadRunState(ProcessRunState process, Waiter waiter) {
        this.process = process;
        this.waiter = waiter;
        Dispatcher.locked(() -> process.members().add(waiter));
    }

    /** Implements KeSuspendThread: returns the previous count, or -1 if the count is at the maximum. */
    public int suspend() {
        Dispatcher.LOCK.lock();
        try {
            if (suspendCount >= MAXIMUM_SUSPEND_COUNT) {
                return -1;
            }
            return suspendCount++;
        } finally {
            Dispatcher.LOCK.unlock();
        }
    }

    /** Implements KeResumeThread: returns the previous count (0 means the thread was not suspended). */
    public int resume() {
        Dispatcher.LOCK.lock();
        try {
            int previous = suspendCount;
            if (suspendCount > 0) {
                suspendCount--;
                if (suspendCount == 0) {
                    waiter.condition().signal();
                }
            }
            return previous;
        } finally {
            Dispatcher.LOCK.unlock();
        }
    }

    public int suspendCount() {
        return Dispatcher.read(() -> suspendCount);
    }

    public boolean runnable() {
        return Dispatcher.read(this::runnableLocked);
    }

    private boolean runnableLocked() {
        return suspendCount == 0 && process.freezeCountLocked() == 0 && process.machineFreezeCountLocked() == 0;
    }

    /**
     * Blocks the calling Java thread until the thread may run or termination was requested.
     *
     * @return false if the thread is terminating
     */
    public boolean awaitRunnable() {
        Dispatcher.LOCK.lock();
        try {
            while (!runnableLocked()) {
                if (waiter.terminatingLocked()) {
                    return false;
                }
                parked = true;
                try {
                    waiter.condition().awaitUninterruptibly();
                } finally {
                    parked = false;
                }
            }
            return !waiter.terminatingLocked();
        } finally {
            Dispatcher.LOCK.unlock();
        }
    }

    /**
     * A completion that fires once the thread may run again (at once if it may run now). Asynchronous platforms use
     * it where a simulated thread would block in {@link #awaitRunnable()}.
     */
    public java.util.concurrent.CompletableFuture<Void> whenRunnable() {
        Dispatcher.LOCK.lock();
        try {
            if (runnableLocked() || waiter.terminatingLocked()) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
            java.util.concurrent.CompletableFuture<Void> f = new java.util.concurrent.CompletableFuture<>();
            runnableWaiters.add(f);
            return f;
        } finally {
            Dispatcher.LOCK.unlock();
        }
    }

    /** Completes the {@link #whenRunnable()} futures if the thread may run now. Call without the lock held. */
    public void fireIfRunnable() {
        java.util.List<java.util.concurrent.CompletableFuture<Void>> ready;
        Dispatcher.LOCK.lock();
        try {
            if (runnableWaiters.isEmpty() || !(runnableLocked() || waiter.terminatingLocked())) {
                return;
            }
            ready = java.util.List.copyOf(runnableWaiters);
            runnableWaiters.clear();
        } finally {
            Dispatcher.LOCK.unlock();
        }
        ready.forEach(f -> f.complete(null));
    }

    /**
     * @return true while the thread is parked in {@link #awaitRunnable()}, or held stopped by its asynchronous platform
     *     ({@link #setStoppedByPlatform}): stopped where it is, so its registers do not change (the kernel debugger
     *     waits for this before it reads a frozen thread's context)
     */
    public boolean isParked() {
        return Dispatcher.read(() -> parked || stoppedByPlatform);
    }

    /**
     * The parking of a platform that never blocks a thread in {@link #awaitRunnable()} (it chains on
     * {@link #whenRunnable()}): it reports here that the thread stopped where it is and executes nothing (on Linux:
     * it entered a ptrace-stop), or that it runs again.
     */
    public void setStoppedByPlatform(boolean stopped) {
        Dispatcher.locked(() -> stoppedByPlatform = stopped);
    }

    /** Drops this thread from its process's wake list (at thread exit). */
    public void detach() {
        Dispatcher.locked(() -> process.members().remove(waiter));
    }
}
