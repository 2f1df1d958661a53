package dev.debugport.kernel.ke;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The machine's clock interrupt: KeUpdateSystemTime runs every {@link #TICK_NANOS} (15.625 ms, the default Windows
 * clock period) and calls the registered tick hooks, in registration order, on its own daemon platform thread. The
 * kernel debugger registers KdPollBreakIn here ({@code spec/kd.md} §8.3).
 *
 * <p>The thread exists only while at least one hook is registered, so a machine without a kernel debugger has no
 * clock thread. A hook must not block for long (it runs "at clock IRQL"): the kernel debugger only polls for the
 * break-in byte here and hands the stop to its own thread. A hook that throws is logged and stays registered.
 */
public final class SystemClock {
    /** The clock period: 156,250 100-ns units (64 ticks per second). */
    public static final long TICK_NANOS = 15_625_000L;

    private static final System.Logger LOG = System.getLogger("dev.debugport.kernel");

    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    private final AtomicLong ticks = new AtomicLong();
    private Thread thread;

    /** Registers a hook; the clock starts with the first one. */
    public synchronized void addTickHook(Runnable hook) {
        hooks.add(hook);
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("KeUpdateSystemTime").unstarted(this::run);
            thread.start();
        }
    }

    /** Removes a hook; the clock stops with the last one. */
    public synchronized void removeTickHook(Runnable hook) {
        hooks.remove(hook);
        if (hooks.isEmpty() && thread != null) {
            Thread stopping = thread;
            thread = null;
            LockSupport.unpark(stopping);
        }
    }

    /** @return KeTickCount: the number of clock ticks so far */
    public long tickCount() {
        return ticks.get();
    }

    /** @return true while the clock thread runs */
    public synchronized boolean isRunning() {
        return thread != null;
    }

    private synchronized boolean current() {
        return thread == Thread.currentThread();
    }

    private void run() {
        long next = System.nanoTime();
        while (current()) {
            next += TICK_NANOS;
            long wait;
            while ((wait = next - System.nanoTime()) > 0 && current()) {
                LockSupport.parkNanos(this, wait);
            }
            if (!current()) {
                return;
            }
            if (System.nanoTime() - next > 16 * TICK_NANOS) {
                next = System.nanoTime(); // a long stall (the JVM was suspended): do not replay missed ticks
            }
            updateSystemTime();
        }
    }

    /** Implements KeUpdateSystemTime's hook part: one tick. */
    private void updateSystemTime() {
        ticks.incrementAndGet();
        for (Runnable hook : hooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "clock tick hook failed", e);
            }
        }
    }
}
