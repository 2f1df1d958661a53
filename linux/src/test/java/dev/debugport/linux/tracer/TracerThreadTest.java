package dev.debugport.linux.tracer;

import dev.debugport.linux.ChildProcesses;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.SysResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tracer thread itself: ownership, wake-ups, idleness, coexistence. */
class TracerThreadTest extends TracerTestBase {
    @Test
    void eventsAndCommandsRunOnOnePlatformThread() {
        int pid = launch("exitcode", "0");
        assertFalse(tracer.thread().isVirtual());
        assertTrue(tracer.thread().isDaemon());
        Thread commandThread = get(tracer.submit(pt -> Thread.currentThread()));
        assertEquals(tracer.thread(), commandThread);
        CompletableFuture<Thread> viaExecutor = CompletableFuture.supplyAsync(Thread::currentThread,
                tracer.executor());
        assertEquals(tracer.thread(), get(viaExecutor));
        events.resumeAll();
        cont(pid, 0);
        events.awaitProcessEnd(pid);
        assertEquals(List.of(tracer.thread()), events.callingThreads());
    }

    @Test
    void listenerMayUseTracerOperationsInline() {
        // A listener that stops the whole process at every int3 (decision 2, all-stop) before resuming it.
        List<String> log = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Tracer[] self = new Tracer[1];
        Tracer t = Tracer.start((ev, pt) -> {
            if (ev instanceof TraceEvent.SignalStop s && s.signal() == 5) {
                self[0].stopProcess(ev.pid()).thenAccept(r -> {
                    log.add("all-stopped " + r.isOk());
                    pt.cont(ev.tid(), 0);
                });
                return;
            }
            if (ev instanceof TraceEvent.Exited x && x.isProcessExit()) {
                log.add("exit " + x.code());
                done.countDown();
            }
            if (ev.isStop()) {
                pt.cont(ev.tid(), 0);
            }
        });
        self[0] = t;
        try {
            Launched l = get(t.launch(List.of(dev.debugport.linux.TestPrograms.path("int3loop"), "2")))
                    .orElseThrow();
            assertTrue(l.pid() > 0);
            assertTrue(done.await(TIMEOUT_MS, TimeUnit.MILLISECONDS), () -> "log: " + log);
            assertEquals(List.of("all-stopped true", "all-stopped true", "exit 0"), log);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            t.close();
            ChildProcesses.assertGone(t.everSeen());
        }
    }

    @Test
    void idleTracerUsesNoCpu() throws IOException {
        int pid = launchSleeper(); // one live, running tracee
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long tid = tracer.thread().threadId();
        long helper = tracer.helperPid();
        long cpuBefore = mx.getThreadCpuTime(tid);
        long helperBefore = processCpuTicks(helper);
        long wall = System.nanoTime();
        // The one timed wait of the suite: idleness is measured over an interval by definition.
        try {
            assertFalse(new CountDownLatch(1).await(1, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        long elapsed = System.nanoTime() - wall;
        long cpu = mx.getThreadCpuTime(tid) - cpuBefore;
        long helperTicks = processCpuTicks(helper) - helperBefore;
        System.out.printf("idle tracer: %.3f ms CPU in %.0f ms (%.3f%%), helper %d ticks; blocked in waitid: %s%n",
                cpu / 1e6, elapsed / 1e6, 100.0 * cpu / elapsed, helperTicks,
                Files.readString(Path.of("/proc/self/task/" + tracer.tracerTid() + "/wchan")));
        assertTrue(cpu < 20_000_000L, "idle tracer used " + cpu / 1e6 + " ms CPU in 1 s");
        assertTrue(helperTicks <= 1, "helper used " + helperTicks + " ticks");
        assertEquals('S', Procfs.state(tracer.tracerTid()).orElseThrow(), "the tracer thread sleeps");
        assertTrue(Procfs.exists(pid));
    }

    private static long processCpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
    }

    @Test
    void submitWakesTheTracerQuickly() {
        launchSleeper();
        for (int i = 0; i < 500; i++) {
            get(tracer.submit(pt -> 1)); // warm up
        }
        int n = 2000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            get(tracer.submit(pt -> 1));
        }
        long perCall = (System.nanoTime() - start) / n;
        System.out.printf("submit round trip from another thread: %.1f us (%d wake-ups)%n", perCall / 1e3,
                tracer.wakeUps());
        assertTrue(perCall < 5_000_000L, "round trip " + perCall / 1e3 + " us");
        // Many threads at once: nothing lost.
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 1000;
            submitters.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 500; i++) {
                    int v = base + i;
                    CompletableFuture<Integer> f = tracer.submit(pt -> v);
                    synchronized (all) {
                        all.add(f);
                    }
                }
            }));
        }
        for (Thread s : submitters) {
            try {
                s.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        long sum = 0;
        for (CompletableFuture<Integer> f : all) {
            sum += get(f);
        }
        assertEquals(2000, all.size());
        assertEquals(4 * (500 * 499 / 2) + 500 * (0 + 1000 + 2000 + 3000), sum);
    }

    @Test
    void processBuilderChildrenOfOtherThreadsAreNotStolen() throws Exception {
        int pid = launchSleeper();
        // The JDK reaper thread waits for this child; the tracer (__WNOTHREAD) must not take its status.
        for (int i = 0; i < 5; i++) {
            Process p = new ProcessBuilder("/bin/sh", "-c", "exit " + (10 + i)).start();
            assertEquals(10 + i, p.waitFor());
        }
        assertTrue(Procfs.exists(pid));
        assertTrue(get(tracer.submit(pt -> 1)) == 1, "the tracer still works");
    }

    @Test
    void twoTracersInOneJvmSeeOnlyTheirOwnTracees() {
        Events otherEvents = new Events();
        Tracer other = Tracer.start(otherEvents);
        try {
            int mine = launch("exitcode", "3");
            Launched theirs = get(other.launch(List.of(dev.debugport.linux.TestPrograms.path("exitcode"), "4")))
                    .orElseThrow();
            otherEvents.next(TraceEvent.ExecStop.class);
            events.resumeAll();
            otherEvents.resumeAll();
            cont(mine, 0);
            get(other.submit(pt -> pt.cont(theirs.pid(), 0))).orElseThrow();
            assertEquals(new TraceEvent.Exited(mine, mine, 3), events.awaitProcessEnd(mine));
            assertEquals(new TraceEvent.Exited(theirs.pid(), theirs.pid(), 4),
                    otherEvents.awaitProcessEnd(theirs.pid()));
            assertTrue(events.all().stream().noneMatch(e -> e.pid() == theirs.pid()));
            assertTrue(otherEvents.all().stream().noneMatch(e -> e.pid() == mine));
        } finally {
            other.close();
        }
        ChildProcesses.assertGone(other.everSeen());
    }

    @Test
    void closedTracerRefusesWork() {
        tracer.close();
        CompletableFuture<Integer> f = tracer.submit(pt -> 1);
        assertTrue(f.isCompletedExceptionally());
        CompletableFuture<SysResult<Launched>> l = tracer.launch(List.of("/bin/true"));
        assertTrue(l.isCompletedExceptionally());
        tracer.close(); // idempotent
    }
}
