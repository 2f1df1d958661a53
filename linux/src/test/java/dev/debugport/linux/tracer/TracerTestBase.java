package dev.debugport.linux.tracer;

import dev.debugport.linux.ChildProcesses;
import dev.debugport.linux.TestPrograms;
import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Ptrace;
import dev.debugport.linux.ptrace.Signals;
import dev.debugport.linux.ptrace.UserRegs;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * One tracer per test. After every test: close the tracer, kill and reap what the test spawned itself, then check
 * that no process this test created, and no child of the JVM, is left stopped, traced or zombie.
 */
abstract class TracerTestBase {
    static final long TIMEOUT_MS = Events.TIMEOUT.toMillis();

    protected final Events events = new Events();
    protected Tracer tracer;
    /** Processes the test spawned outside the tracer (attach targets): killed and reaped after the test. */
    protected final List<Integer> spawnedByTest = new ArrayList<>();
    protected final int jvmPid = Posix.getpid();

    @BeforeEach
    void startTracer() {
        tracer = Tracer.start(events);
    }

    @AfterEach
    void closeAndCheckNothingLeft() {
        Set<Integer> created = new LinkedHashSet<>();
        if (tracer != null) {
            tracer.close();
            assertFalse(tracer.thread().isAlive(), "tracer thread still alive after close");
            created.addAll(tracer.everSeen());
        }
        for (int pid : spawnedByTest) {
            ChildProcesses.killAndReap(pid);
        }
        created.addAll(spawnedByTest);
        ChildProcesses.assertNothingLeft(created);
    }

    static <T> T get(Future<T> f) {
        try {
            return f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Runs {@code command} on the tracer thread and waits for its result. */
    <T> T onTracer(Function<Ptrace, T> command) {
        return get(tracer.submit(command));
    }

    /** Launches a test program; returns its pid after taking its ExecStop (the process is stopped there). */
    int launch(String program, String... args) {
        Launched l = get(tracer.launch(TestPrograms.argv(program, args))).orElseThrow();
        TraceEvent.ExecStop exec = events.next(TraceEvent.ExecStop.class);
        assertEquals(l.pid(), exec.pid());
        assertEquals(l.execStop(), exec);
        return l.pid();
    }

    void cont(int tid, int signal) {
        onTracer(pt -> pt.cont(tid, signal)).orElseThrow();
    }

    UserRegs regs(int tid) {
        return onTracer(pt -> pt.getRegs(tid)).orElseThrow();
    }

    /** Takes the next event, which must be a SIGTRAP stop from a REPORT() int3; returns rax. */
    long nextReport(int pid) {
        TraceEvent.SignalStop s = events.next(TraceEvent.SignalStop.class);
        assertEquals(pid, s.pid());
        assertEquals(Signals.SIGTRAP, s.signal(), () -> "expected SIGTRAP, got " + s);
        assertEquals(Signals.SI_KERNEL, s.info().code());
        return regs(s.tid()).rax();
    }

    /** Launches the sleeper and runs it past its REPORT (its SIGUSR1 handler is installed); it is running. */
    int launchSleeper() {
        int pid = launch("sleeper");
        cont(pid, 0);
        assertEquals(1, nextReport(pid));
        cont(pid, 0);
        return pid;
    }

    /** Spawns a program untraced (for attach tests) with stdout on a pipe; returns {pid, read end}. */
    int[] spawnWithPipe(String program, String... args) {
        int[] fds = Posix.pipe(Posix.O_CLOEXEC).orElseThrow();
        List<String> argv = TestPrograms.argv(program, args);
        int pid = dev.debugport.linux.ptrace.Spawner.spawn(argv,
                dev.debugport.linux.ptrace.SpawnOptions.defaults().withStdout(
                        dev.debugport.linux.ptrace.Stdio.fd(fds[1]))).orElseThrow();
        spawnedByTest.add(pid);
        Posix.close(fds[1]);
        return new int[] {pid, fds[0]};
    }

    /** Reads one line from {@code fd}, failing after the timeout. */
    static String readLine(int fd) {
        return ChildProcesses.readLine(fd, Events.TIMEOUT);
    }
}
