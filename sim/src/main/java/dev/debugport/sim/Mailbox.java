package dev.debugport.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A guest thread's task queue: the executor the kernel and Dbgk chain their completions on
 * ({@link dev.debugport.kernel.Platform#continuationExecutor}). The guest thread runs the tasks itself whenever it
 * waits ({@link #awaitUntil}) and at every safe point, which is how work NT does in the debuggee's own context after
 * a continue runs on the debuggee's thread here. Once the thread is gone the mailbox is closed and later tasks run on
 * the thread that posts them.
 *
 * <p>Wake-ups are counted, not just signalled, so a wake that happens between a waiter's check of its condition and
 * its sleep is not lost.
 */
final class Mailbox {
    private static final System.Logger LOG = System.getLogger("dev.debugport.sim");

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private long version;
    private boolean closed;

    /** Queues a task for the guest thread (runs it at once, on the caller, if the thread is gone). */
    void post(Runnable task) {
        lock.lock();
        try {
            if (!closed) {
                tasks.add(task);
                version++;
                changed.signalAll();
                return;
            }
        } finally {
            lock.unlock();
        }
        runTask(task);
    }

    /** Makes a waiting guest re-check its condition. */
    void wake() {
        lock.lock();
        try {
            version++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Runs every queued task (at a safe point). */
    void runPending() {
        Runnable t;
        while ((t = poll()) != null) {
            runTask(t);
        }
    }

    /** Runs tasks as they arrive until {@code done} holds. {@code done} is evaluated without the mailbox lock. */
    void awaitUntil(BooleanSupplier done) {
        while (true) {
            long seen;
            Runnable task;
            lock.lock();
            try {
                seen = version;
                task = tasks.poll();
            } finally {
                lock.unlock();
            }
            if (task != null) {
                runTask(task);
                continue;
            }
            if (done.getAsBoolean()) {
                return;
            }
            lock.lock();
            try {
                while (version == seen && tasks.isEmpty()) {
                    changed.awaitUninterruptibly();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Closes the mailbox and returns what was still queued (the caller runs it). */
    List<Runnable> close() {
        lock.lock();
        try {
            closed = true;
            List<Runnable> left = new ArrayList<>(tasks);
            tasks.clear();
            return left;
        } finally {
            lock.unlock();
        }
    }

    private Runnable poll() {
        lock.lock();
        try {
            return tasks.poll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs one task. A RuntimeException from a raw task is a bug in whoever posted it: it is logged, not allowed to
     * kill the guest thread. Errors (among them the guest's own unwinds) propagate.
     */
    static void runTask(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "continuation task failed", e);
        }
    }
}
