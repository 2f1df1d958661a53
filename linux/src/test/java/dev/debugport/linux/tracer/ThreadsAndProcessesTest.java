package dev.debugport.linux.tracer;

import dev.debugport.linux.TestPrograms;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.SpawnOptions;
import dev.debugport.linux.ptrace.Stdio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** clone, fork, exec and shared objects. */
class ThreadsAndProcessesTest extends TracerTestBase {
    @Test
    void cloneEventsForEveryThread() {
        int pid = launch("threads", "3");
        events.resumeAll();
        cont(pid, 0);
        events.awaitProcessEnd(pid);
        List<TraceEvent> all = events.all();
        Set<Integer> cloned = all.stream().filter(e -> e instanceof TraceEvent.CloneStop)
                .map(e -> ((TraceEvent.CloneStop) e).newTid()).collect(Collectors.toSet());
        assertEquals(3, cloned.size(), () -> "clone events: " + all);
        assertTrue(all.stream().filter(e -> e instanceof TraceEvent.CloneStop).allMatch(e -> e.tid() == pid));
        Set<Integer> firstStops = tidsOf(all, TraceEvent.NewThreadFirstStop.class);
        assertEquals(cloned, firstStops, "each new thread reports its first stop");
        assertTrue(all.stream().filter(e -> e instanceof TraceEvent.NewThreadFirstStop)
                .allMatch(e -> e.pid() == pid && !((TraceEvent.NewThreadFirstStop) e).isNewProcess()));
        Set<Integer> exitStops = tidsOf(all, TraceEvent.ExitStop.class);
        assertTrue(exitStops.containsAll(cloned) && exitStops.contains(pid), "every thread stops at its exit");
        for (int tid : cloned) {
            assertTrue(all.contains(new TraceEvent.Exited(pid, tid, 0)), "thread " + tid + " exit reported");
        }
        assertEquals(new TraceEvent.Exited(pid, pid, 0), all.getLast(), "the leader's exit comes last");
    }

    private static Set<Integer> tidsOf(List<TraceEvent> all, Class<? extends TraceEvent> type) {
        return all.stream().filter(type::isInstance).map(TraceEvent::tid).collect(Collectors.toSet());
    }

    @Test
    void forkAndExecAreFollowed() {
        int pid = launch("forkexec", TestPrograms.path("exitcode"), "5");
        events.resumeAll();
        cont(pid, 0);
        TraceEvent.ForkStop fork = events.await(TraceEvent.ForkStop.class, e -> e.pid() == pid);
        int child = fork.newPid();
        assertNotEquals(pid, child);
        events.awaitProcessEnd(pid);
        List<TraceEvent> all = events.all();
        assertTrue(all.contains(new TraceEvent.NewThreadFirstStop(child, child)), () -> "child first stop: " + all);
        assertTrue(all.stream().anyMatch(e -> e instanceof TraceEvent.ExecStop x && x.pid() == child),
                "the child's exec is reported");
        assertTrue(all.contains(new TraceEvent.Exited(child, child, 5)));
        assertEquals(new TraceEvent.Exited(pid, pid, 5), all.getLast());
        assertTrue(all.indexOf(new TraceEvent.Exited(child, child, 5)) < all.size() - 1);
        assertFalse(Procfs.exists(child));
    }

    @Test
    void sharedObjectAppearsAfterDlopenAndGoesAfterDlclose() throws IOException {
        String lib = TestPrograms.path("libsmall.so");
        int pid = launch("dlopen", lib);
        cont(pid, 0);
        assertEquals(0, nextReport(pid));
        assertFalse(Files.readString(Path.of("/proc/" + pid + "/maps")).contains("libsmall.so"));
        cont(pid, 0);
        long handle = nextReport(pid);
        assertNotEquals(0, handle);
        assertTrue(Files.readString(Path.of("/proc/" + pid + "/maps")).contains("libsmall.so"));
        cont(pid, 0);
        assertEquals(42, nextReport(pid));
        assertFalse(Files.readString(Path.of("/proc/" + pid + "/maps")).contains("libsmall.so"));
        events.resumeAll();
        cont(pid, 0);
        assertEquals(new TraceEvent.Exited(pid, pid, 0), events.awaitProcessEnd(pid));
    }

    @Test
    void stopProcessStopsEveryThread() {
        int[] fds = dev.debugport.linux.ptrace.Posix.pipe(dev.debugport.linux.ptrace.Posix.O_CLOEXEC).orElseThrow();
        LaunchOptions lo = LaunchOptions.defaults().withSpawn(SpawnOptions.defaults().withStdout(Stdio.fd(fds[1])));
        Launched l = get(tracer.launch(List.of(TestPrograms.path("threads"), "4", "block"), lo)).orElseThrow();
        dev.debugport.linux.ptrace.Posix.close(fds[1]);
        int pid = l.pid();
        events.next(TraceEvent.ExecStop.class);
        events.resumeAll();
        cont(pid, 0);
        assertEquals("ready", readLine(fds[0]));
        dev.debugport.linux.ptrace.Posix.close(fds[0]);
        events.autoResume = e -> false;
        List<Integer> stopped = get(tracer.stopProcess(pid)).orElseThrow();
        assertEquals(5, stopped.size());
        assertEquals(pid, stopped.getFirst(), "the leader first");
        SortedSet<Integer> tasks = Procfs.tasks(pid).orElseThrow();
        assertEquals(tasks, new java.util.TreeSet<>(stopped));
        for (int tid : stopped) {
            assertEquals('t', Procfs.state(tid).orElseThrow(), "thread " + tid + " stopped");
            assertTrue(tracer.isStopped(tid));
        }
        assertTrue(events.pending().stream().noneMatch(e -> e instanceof TraceEvent.InterruptStop),
                "interrupt stops are absorbed");
        // Resume them all; close() then kills the process.
        for (int tid : stopped) {
            cont(tid, 0);
        }
        Set<Integer> running = new HashSet<>(stopped);
        running.removeIf(tracer::isStopped);
        assertEquals(5, running.size());
    }
}
