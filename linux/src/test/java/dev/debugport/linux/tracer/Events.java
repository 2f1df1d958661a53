package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.Ptrace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A test listener: records every event and queues it for the test thread. Stops matching {@link #autoResume} are
 * resumed on the tracer thread (signals re-injected, except SIGTRAP); the others stay stopped for the test.
 */
final class Events implements TraceListener {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final LinkedBlockingQueue<TraceEvent> queue = new LinkedBlockingQueue<>();
    private final List<TraceEvent> all = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> callingThreads = Collections.synchronizedList(new ArrayList<>());
    volatile Predicate<TraceEvent> autoResume = e -> false;

    @Override
    public void onEvent(TraceEvent event, Ptrace ptrace) {
        all.add(event);
        if (callingThreads.isEmpty() || callingThreads.getLast() != Thread.currentThread()) {
            callingThreads.add(Thread.currentThread());
        }
        if (event.isStop() && autoResume.test(event)) {
            int signal = event instanceof TraceEvent.SignalStop s && s.signal() != 5 ? s.signal() : 0;
            ptrace.cont(event.tid(), signal);
        }
        queue.add(event);
    }

    /** Resume every stop automatically from now on. */
    void resumeAll() {
        autoResume = e -> true;
    }

    /** The next event, or a failure after the timeout. */
    TraceEvent next() {
        try {
            TraceEvent e = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                fail("no event within " + TIMEOUT + "; seen so far: " + all());
            }
            return e;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** The next event, which must be a {@code type}. */
    <T extends TraceEvent> T next(Class<T> type) {
        TraceEvent e = next();
        return assertInstanceOf(type, e, () -> "expected " + type.getSimpleName() + ", got " + e);
    }

    /** Skips events until one matches. */
    TraceEvent await(Predicate<TraceEvent> match) {
        while (true) {
            TraceEvent e = next();
            if (match.test(e)) {
                return e;
            }
        }
    }

    /** Skips events until a {@code type} matching {@code match}. */
    <T extends TraceEvent> T await(Class<T> type, Predicate<T> match) {
        return type.cast(await(e -> type.isInstance(e) && match.test(type.cast(e))));
    }

    /** Skips events until the process exit (Exited/Killed with tid == pid) of {@code pid}. */
    TraceEvent awaitProcessEnd(int pid) {
        return await(e -> e.pid() == pid && e.tid() == pid && !e.isStop());
    }

    /** Events not yet taken by the test. */
    List<TraceEvent> pending() {
        return new ArrayList<>(queue);
    }

    List<TraceEvent> all() {
        synchronized (all) {
            return new ArrayList<>(all);
        }
    }

    List<Thread> callingThreads() {
        synchronized (callingThreads) {
            return new ArrayList<>(callingThreads);
        }
    }
}
