package dev.debugport.kernel.ke;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.locks.Condition;

/**
 * The wait state a thread carries (the KTHREAD wait fields): the condition it blocks on, its alert flag, its
 * user-mode APC queue, and whether termination was requested. All guarded by the dispatcher lock.
 */
public final class Waiter {
    private final Condition condition = Dispatcher.LOCK.newCondition();
    private final Queue<Runnable> userApcs = new ArrayDeque<>();
    private boolean alerted;
    private boolean terminating;

    Condition condition() {
        return condition;
    }

    /** Implements KeAlertThread: an alertable wait returns STATUS_ALERTED. */
    public void alert() {
        Dispatcher.locked(() -> {
            alerted = true;
            condition.signal();
        });
    }

    /** Implements KeInsertQueueApc for a user APC: an alertable wait returns STATUS_USER_APC after running it. */
    public void queueUserApc(Runnable apc) {
        Dispatcher.locked(() -> {
            userApcs.add(apc);
            condition.signal();
        });
    }

    /** Marks the thread as terminating: every wait it is in, or enters, returns STATUS_THREAD_IS_TERMINATING. */
    public void requestTermination() {
        Dispatcher.locked(() -> {
            terminating = true;
            condition.signal();
        });
    }

    /** Wakes the thread so it re-checks whatever it waits for (run state, signal state). */
    public void poke() {
        Dispatcher.locked(condition::signal);
    }

    public boolean terminating() {
        return Dispatcher.read(() -> terminating);
    }

    boolean terminatingLocked() {
        return terminating;
    }

    boolean takeAlertLocked() {
        boolean was = alerted;
        alerted = false;
        return was;
    }

    boolean takeUserApcLocked() {
        Runnable apc = userApcs.poll();
        if (apc == null) {
            return false;
        }
        apc.run();
        return true;
    }
}
