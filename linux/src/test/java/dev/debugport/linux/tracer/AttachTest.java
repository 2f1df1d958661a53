package dev.debugport.linux.tracer;

import dev.debugport.linux.Conditions;
import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.Signals;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Attach to and detach from processes the tracer did not start. */
class AttachTest extends TracerTestBase {
    @Test
    void attachSeesEveryThreadAndDetachLeavesItRunning() {
        int[] spawned = spawnWithPipe("threads", "4", "block");
        int pid = spawned[0];
        assertEquals("ready", readLine(spawned[1]));
        Posix.close(spawned[1]);
        SortedSet<Integer> tasks = Procfs.tasks(pid).orElseThrow();
        assertEquals(5, tasks.size());

        Attached a = get(tracer.attach(pid)).orElseThrow();
        assertEquals(pid, a.pid());
        assertEquals(pid, a.tids().getFirst());
        assertEquals(tasks, new TreeSet<>(a.tids()), "every thread");
        for (int tid : a.tids()) {
            assertEquals('t', Procfs.state(tid).orElseThrow(), "thread " + tid + " is stopped");
            assertEquals(tracer.tracerTid(), Procfs.tracerPid(tid).orElseThrow());
        }
        assertTrue(events.pending().isEmpty(), () -> "attach stops are absorbed: " + events.pending());
        // Registers of every thread are readable: the process is all-stopped.
        for (int tid : a.tids()) {
            assertTrue(onTracer(pt -> pt.getRegs(tid)).isOk());
        }

        get(tracer.detach(pid)).orElseThrow();
        assertTrue(tracer.processes().isEmpty());
        for (int tid : tasks) {
            char state = Procfs.state(tid).orElseThrow();
            assertTrue(state == 'S' || state == 'R', "thread " + tid + " runs again: " + state);
            assertEquals(0, Procfs.tracerPid(tid).orElseThrow());
        }
        // Still alive and well: it reacts to a signal as before (SIGTERM kills it; reaped in the test cleanup).
        assertTrue(Posix.kill(pid, 0).isOk());
    }

    @Test
    void attachToAProcessThatKeepsCreatingThreads() {
        int[] spawned = spawnWithPipe("spawnthreads");
        int pid = spawned[0];
        assertEquals("ready", readLine(spawned[1]));
        Posix.close(spawned[1]);

        Attached a = get(tracer.attach(pid)).orElseThrow();
        // All-stopped: no thread can create another, so /proc shows exactly the attached set, all stopped.
        SortedSet<Integer> tasks = Procfs.tasks(pid).orElseThrow();
        assertEquals(tasks, new TreeSet<>(a.tids()));
        for (int tid : a.tids()) {
            assertEquals('t', Procfs.state(tid).orElseThrow(), "thread " + tid + " is stopped");
        }
        // Let it run traced for a while: new threads are followed through TRACECLONE.
        events.resumeAll();
        for (int tid : a.tids()) {
            onTracer(pt -> pt.cont(tid, 0));
        }
        TraceEvent.NewThreadFirstStop fresh = events.await(TraceEvent.NewThreadFirstStop.class, e -> e.pid() == pid);
        assertTrue(!a.tids().contains(fresh.tid()));
        get(tracer.detach(pid)).orElseThrow();
        assertEquals(0, Procfs.tracerPid(pid).orElseThrow());
        assertNotEquals('t', (char) Procfs.state(pid).orElseThrow());
        for (int tid : Procfs.tasks(pid).orElse(new TreeSet<>())) {
            assertEquals(0, Procfs.tracerPid(tid).orElse(0), "thread " + tid + " untraced");
        }
    }

    /**
     * A process in a group-stop (SIGSTOP) when the tracer attaches: the seize itself traps every thread, and each
     * reports its group-stop after the attach completes. No interrupt is left pending: resumed, the threads run on
     * into their pause() instead of stopping again.
     */
    @Test
    void attachToAStoppedProcessLeavesNoInterruptPending() {
        int[] spawned = spawnWithPipe("threads", "2", "block");
        int pid = spawned[0];
        assertEquals("ready", readLine(spawned[1]));
        Posix.close(spawned[1]);
        SortedSet<Integer> tasks = Procfs.tasks(pid).orElseThrow();
        assertTrue(Posix.kill(pid, Signals.SIGSTOP).isOk());
        for (int tid : tasks) {
            awaitState(tid, 'T');
        }

        Attached a = get(tracer.attach(pid)).orElseThrow();
        assertEquals(tasks, new TreeSet<>(a.tids()));
        SortedSet<Integer> reported = new TreeSet<>();
        for (int i = 0; i < tasks.size(); i++) {
            TraceEvent.GroupStop g = events.next(TraceEvent.GroupStop.class);
            assertEquals(Signals.SIGSTOP, g.signal());
            reported.add(g.tid());
        }
        assertEquals(tasks, reported, "every thread reports its group-stop");

        for (int tid : tasks) {
            cont(tid, 0);
        }
        for (int tid : tasks) {
            awaitState(tid, 'S'); // back in pause(): no pending interrupt stopped it on the way
        }
        assertTrue(events.pending().isEmpty(), () -> "no stop after the resume: " + events.pending());
        get(tracer.detach(pid)).orElseThrow();
    }

    private static void awaitState(int tid, char state) {
        Conditions.await("thread " + tid + " to reach state " + state, Events.TIMEOUT,
                () -> Procfs.state(tid).orElse('?') == state);
    }

    @Test
    void attachToAMissingProcessIsAnErrorValue() {
        var r = get(tracer.attach(Integer.MAX_VALUE - 1));
        assertTrue(r.failedWith(dev.debugport.linux.ptrace.Errno.ESRCH), r::toString);
    }

    @Test
    void closeDetachesAttachedProcesses() {
        int[] spawned = spawnWithPipe("threads", "2", "block");
        int pid = spawned[0];
        assertEquals("ready", readLine(spawned[1]));
        Posix.close(spawned[1]);
        Attached a = get(tracer.attach(pid)).orElseThrow();
        assertEquals(3, a.tids().size());
        tracer.close();
        for (int tid : a.tids()) {
            assertEquals(0, Procfs.tracerPid(tid).orElseThrow());
            assertNotEquals('t', (char) Procfs.state(tid).orElseThrow());
        }
        assertTrue(Posix.kill(pid, Signals.SIGTERM).isOk());
    }
}
