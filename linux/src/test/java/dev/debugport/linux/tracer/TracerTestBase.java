package dev.debugport.linux.tracer;

import dev.debugport.linux.TestPrograms;
import dev.debugport.linux.ptrace.Errno;
import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.Ptrace;
import dev.debugport.linux.ptrace.Signals;
import dev.debugport.linux.ptrace.SigInfo;
import dev.debugport.linux.ptrace.SysResult;
import dev.debugport.linux.ptrace.UserRegs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

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
            Posix.kill(pid, Signals.SIGKILL);
            SysResult<Optional<Posix.Waited>> w;
            do {
                w = Posix.waitpid(pid, Posix.WALL);
            } while (w.failedWith(Errno.EINTR));
        }
        created.addAll(spawnedByTest);
        assertNothingLeft(created);
    }

    /** Every pid in {@code pids} is gone or running untraced; no child of the JVM is stopped/traced/zombie. */
    void assertNothingLeft(Collection<Integer> pids) {
        assertGone(pids);
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                int pid = Integer.parseInt(name);
                if (Procfs.ppid(pid).orElse(-1) == jvmPid) {
                    assertRunningUntracedOrGone(pid);
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        SysResult<Optional<SigInfo>> zombie = Posix.waitid(Posix.P_ALL, 0,
                Posix.WEXITED | Posix.WALL | Posix.WNOHANG | Posix.WNOWAIT);
        if (zombie instanceof SysResult.Ok<Optional<SigInfo>>(Optional<SigInfo> z) && z.isPresent()) {
            fail("an unreaped child of the JVM: " + z.get());
        }
    }

    /** Every pid in {@code pids} is gone or running untraced (while another tracer still runs). */
    static void assertGone(Collection<Integer> pids) {
        for (int pid : pids) {
            assertRunningUntracedOrGone(pid);
        }
    }

    private static void assertRunningUntracedOrGone(int pid) {
        SysResult<Map<String, String>> status = Procfs.status(pid);
        if (!status.isOk()) {
            return; // gone
        }
        String state = status.orElseThrow().getOrDefault("State", "?");
        String tracerPid = status.orElseThrow().getOrDefault("TracerPid", "?");
        assertFalse(state.startsWith("t") || state.startsWith("T") || state.startsWith("Z")
                || state.startsWith("X"), "process " + pid + " left in state " + state);
        assertEquals("0", tracerPid, "process " + pid + " still traced");
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
        List<String> argv = new ArrayList<>();
        argv.add(TestPrograms.path(program));
        argv.addAll(List.of(args));
        Launched l = get(tracer.launch(argv)).orElseThrow();
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
        List<String> argv = new ArrayList<>();
        argv.add(TestPrograms.path(program));
        argv.addAll(List.of(args));
        int pid = dev.debugport.linux.ptrace.Spawner.spawn(argv,
                dev.debugport.linux.ptrace.SpawnOptions.defaults().withStdout(
                        dev.debugport.linux.ptrace.Stdio.fd(fds[1]))).orElseThrow();
        spawnedByTest.add(pid);
        Posix.close(fds[1]);
        return new int[] {pid, fds[0]};
    }

    /** Reads one line from {@code fd} (blocking read on a helper thread), failing after the timeout. */
    static String readLine(int fd) {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            StringBuilder sb = new StringBuilder();
            byte[] b = new byte[1];
            while (true) {
                SysResult<Integer> n = Posix.read(fd, b, 0, 1);
                if (n.failedWith(Errno.EINTR)) {
                    continue;
                }
                if (!n.isOk() || n.orElseThrow() == 0 || b[0] == '\n') {
                    return sb.toString();
                }
                sb.append(new String(b, StandardCharsets.ISO_8859_1));
            }
        }, r -> Thread.ofPlatform().daemon(true).start(r));
        return get(line);
    }
}
