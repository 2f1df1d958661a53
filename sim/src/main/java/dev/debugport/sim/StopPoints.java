package dev.debugport.sim;

import dev.debugport.kernel.ps.EThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Named places in guest code ({@link GuestApi#point}) where a test can hold guests, to reproduce a race
 * deterministically: arm a point, wait until a guest is parked there, do the racing operation, release.
 *
 * <p>An unarmed point costs a counter increment (its hit count, which tests can wait for too). A guest parked at a
 * point in guest code is still terminable: termination unwinds it. {@link #release} lets every guest parked there go
 * and disarms the point; arm it again to stop the next one. A point can be armed for some threads only.
 *
 * <p>Besides the points guest code names, every guest thread passes {@link SimMachine#THREAD_STARTUP_POINT} right
 * before it reports its creation (DbgkCreateThread), {@link SimMachine#THREAD_EXIT_POINT} right before PspExitThread
 * (held there even if it is being terminated, as a thread in the middle of exiting is), and the initial thread
 * {@link SimMachine#LOADER_DONE_POINT} after the loader.
 */
public final class StopPoints {
    private static final class Point {
        boolean armed;
        Predicate<EThread> which = t -> true;
        long generation;
        int parked;
        long hits;
        final Set<Mailbox> waiting = new HashSet<>();
    }

    private final Map<String, Point> points = new HashMap<>();

    private Point point(String name) {
        return points.computeIfAbsent(name, n -> new Point());
    }

    /** Guests that reach {@code name} from now on block there until {@link #release}. */
    public synchronized void arm(String name) {
        arm(name, t -> true);
    }

    /** Like {@link #arm(String)}, but only threads matching {@code which} stop; others pass (and count as hits). */
    public synchronized void arm(String name, Predicate<EThread> which) {
        Point p = point(name);
        p.armed = true;
        p.which = which;
    }

    public synchronized boolean isArmed(String name) {
        return point(name).armed;
    }

    /** Lets every guest parked at {@code name} continue and disarms the point. */
    public void release(String name) {
        List<Mailbox> wake;
        synchronized (this) {
            Point p = point(name);
            p.armed = false;
            p.generation++;
            wake = new ArrayList<>(p.waiting);
            notifyAll();
        }
        wake.forEach(Mailbox::wake);
    }

    /** Releases and disarms every point. */
    public void releaseAll() {
        List<String> names;
        synchronized (this) {
            names = new ArrayList<>(points.keySet());
        }
        names.forEach(this::release);
    }

    /** Waits until at least one guest is parked at {@code name}. */
    public boolean awaitReached(String name, Duration timeout) {
        return awaitReached(name, 1, timeout);
    }

    /** Waits until at least {@code count} guests are parked at {@code name} at the same time. */
    public synchronized boolean awaitReached(String name, int count, Duration timeout) {
        return MonitorWait.until(this, () -> point(name).parked >= count, timeout);
    }

    /** Waits until guests have passed or reached {@code name} at least {@code count} times in total. */
    public synchronized boolean awaitHits(String name, long count, Duration timeout) {
        return MonitorWait.until(this, () -> point(name).hits >= count, timeout);
    }

    /** How many times guests reached {@code name}, armed or not. */
    public synchronized long hits(String name) {
        return point(name).hits;
    }

    /** How many guests are parked at {@code name} now. */
    public synchronized int parkedCount(String name) {
        return point(name).parked;
    }

    /**
     * The guest side: count the hit and, if the point is armed for this thread, block until it is released.
     *
     * @param terminable whether termination ends the wait (unwinding the guest); false holds even a terminating thread
     */
    void reach(SimThread guest, String name, boolean terminable) {
        Point p;
        long generation;
        SimThreadState before = guest.state();
        synchronized (this) {
            p = point(name);
            p.hits++;
            notifyAll();
            if (!p.armed || !p.which.test(guest.thread())) {
                return;
            }
            generation = p.generation;
            // Stopped before it counts as parked, so a test that saw the point reached also sees the state.
            guest.setState(SimThreadState.STOPPED);
            p.parked++;
            p.waiting.add(guest.mailbox());
            notifyAll();
        }
        try {
            if (terminable) {
                guest.awaitCondition(() -> released(p, generation), SimThreadState.STOPPED);
            } else {
                guest.awaitOnly(() -> released(p, generation), SimThreadState.STOPPED);
            }
        } finally {
            synchronized (this) {
                p.parked--;
                p.waiting.remove(guest.mailbox());
                notifyAll();
            }
            guest.setState(before);
        }
    }

    private synchronized boolean released(Point p, long generation) {
        return p.generation != generation;
    }
}
