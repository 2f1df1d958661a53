package dev.debugport.linux.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.debugport.dbgk.Dbgk;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ke.Dispatcher;
import dev.debugport.kernel.ke.SystemTime;
import dev.debugport.kernel.ke.Waiter;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.linux.TestPrograms;
import dev.debugport.linux.ptrace.Errno;
import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.SigInfo;
import dev.debugport.linux.ptrace.Signals;
import dev.debugport.linux.ptrace.SpawnOptions;
import dev.debugport.linux.ptrace.Stdio;
import dev.debugport.linux.ptrace.SysResult;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.NtStatus;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A Linux machine with Dbgk installed and one debugger (a host thread of the JVM's process with its Kernel32), plus
 * the waits the tests need. Every wait has a timeout; nothing sleeps. {@link #close()} ends the debugger (its
 * kill-on-close object kills what is left), waits for every process the test saw to end, closes the platform and
 * checks that no process is left stopped, traced or zombie.
 */
final class LinuxDebugFixture implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final int TIMEOUT_MS = (int) TIMEOUT.toMillis();

    final LinuxPlatform platform = new LinuxPlatform();
    final Kernel kernel = new Kernel(platform);
    final Dbgk dbgk;
    final EThread debuggerThread;
    final EProcess debuggerProcess;
    final Kernel32 k32;
    /** Every pid the test saw (events, launches, spawns): none may be left traced, stopped or zombie. */
    final Set<Integer> pids = new LinkedHashSet<>();
    /** Processes the test spawned itself (attach targets): killed and reaped at the end. */
    final List<Integer> spawned = new ArrayList<>();
    final List<DebugEvent> seen = new ArrayList<>();
    private final List<Integer> phantoms = new ArrayList<>();
    private final int jvmPid = Posix.getpid();

    LinuxDebugFixture() {
        platform.attach(kernel);
        dbgk = Dbgk.initialize(kernel);
        debuggerThread = platform.createHostThread("debugger");
        debuggerProcess = debuggerThread.process();
        k32 = new Kernel32(dbgk, debuggerThread);
    }

    static SpawnOptions quiet() {
        return SpawnOptions.defaults().withStdin(Stdio.NULL).withStdout(Stdio.NULL).withStderr(Stdio.NULL);
    }

    static LinuxProgram program(String name, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(TestPrograms.path(name));
        argv.addAll(List.of(args));
        return new LinuxProgram(argv, quiet());
    }

    /** CreateProcess from the debugger thread; fails the test if it fails. */
    ProcessInformation launch(int flags, LinuxProgram program) {
        UserPointer<ProcessInformation> info = UserPointer.empty();
        assertTrue(k32.createProcess(program, flags, info), () -> "CreateProcess failed, error " + k32.getLastError());
        pids.add(info.get().processId());
        return info.get();
    }

    ProcessInformation launch(int flags, String name, String... args) {
        return launch(flags, program(name, args));
    }

    DebugEvent next() {
        UserPointer<DebugEvent> e = UserPointer.empty();
        if (!k32.waitForDebugEventEx(e, TIMEOUT_MS)) {
            fail("no debug event within " + TIMEOUT + " (Win32 error " + k32.getLastError() + "); seen: " + seen);
        }
        seen.add(e.get());
        pids.add(e.get().processId());
        return e.get();
    }

    DebugEvent next(DebugEventCode expected) {
        DebugEvent e = next();
        assertEquals(expected, e.code(), () -> "unexpected event " + e);
        return e;
    }

    void resume(DebugEvent e) {
        resume(e, NtStatus.DBG_CONTINUE);
    }

    void resume(DebugEvent e, NtStatus status) {
        assertTrue(k32.continueDebugEvent(e.processId(), e.threadId(), status),
                () -> "ContinueDebugEvent failed, error " + k32.getLastError() + " for " + e);
    }

    /** Continues events (exceptions as a plain debugger does) until {@code wanted} arrives; returns it uncontinued. */
    DebugEvent skipUntil(DebugEventCode wanted) {
        for (int i = 0; i < 1000; i++) {
            DebugEvent e = next();
            if (e.code() == wanted) {
                return e;
            }
            resume(e, passThrough(e));
        }
        fail(wanted + " never arrived; saw " + seen);
        return null;
    }

    /** Continues every event until EXIT_PROCESS of {@code pid} was continued; returns its exit code. */
    int runToExit(int pid) {
        while (true) {
            DebugEvent e = next();
            resume(e, passThrough(e));
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT && e.processId() == pid) {
                return ((DebugEventInfo.ExitProcessDebugInfo) e.info()).exitCode();
            }
        }
    }

    /** Continues every event (as {@link #passThrough}) until EXIT_PROCESS of {@code pid}; returns all, that one last. */
    List<DebugEvent> collect(int pid) {
        List<DebugEvent> out = new ArrayList<>();
        while (true) {
            DebugEvent e = next();
            out.add(e);
            resume(e, passThrough(e));
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT && e.processId() == pid) {
                return out;
            }
        }
    }

    /** The image path of a CREATE_PROCESS or LOAD_DLL event, from its file handle (the handle is closed). */
    String pathOf(DebugEvent e) {
        dev.debugport.nt.Handle file = switch (e.info()) {
            case DebugEventInfo.CreateProcessDebugInfo cp -> cp.file();
            case DebugEventInfo.LoadDllDebugInfo ld -> ld.file();
            default -> throw new AssertionError("no file in " + e);
        };
        String path = k32.getFinalPathNameByHandle(file);
        k32.closeHandle(file);
        return path;
    }

    /** The registers of a thread through GetThreadContext on a fresh handle. */
    dev.debugport.nt.Amd64Context context(int tid) {
        dev.debugport.nt.Handle h = k32.openThread(dev.debugport.nt.AccessMask.THREAD_ALL_ACCESS, tid);
        UserPointer<dev.debugport.nt.Amd64Context> ctx = UserPointer.empty();
        assertTrue(k32.getThreadContext(h, ctx), () -> "GetThreadContext failed: " + k32.getLastError());
        k32.closeHandle(h);
        return ctx.get();
    }

    void setContext(int tid, dev.debugport.nt.Amd64Context context) {
        dev.debugport.nt.Handle h = k32.openThread(dev.debugport.nt.AccessMask.THREAD_ALL_ACCESS, tid);
        assertTrue(k32.setThreadContext(h, context), () -> "SetThreadContext failed: " + k32.getLastError());
        k32.closeHandle(h);
    }

    /** Breakpoints and single steps handled, every other exception not handled. */
    static NtStatus passThrough(DebugEvent e) {
        if (e.code() != DebugEventCode.EXCEPTION_DEBUG_EVENT) {
            return NtStatus.DBG_CONTINUE;
        }
        int code = exceptionCode(e);
        return code == NtStatus.STATUS_BREAKPOINT.value() || code == NtStatus.STATUS_SINGLE_STEP.value()
                ? NtStatus.DBG_CONTINUE : NtStatus.DBG_EXCEPTION_NOT_HANDLED;
    }

    static int exceptionCode(DebugEvent e) {
        return ((DebugEventInfo.ExceptionDebugInfo) e.info()).exceptionRecord().code();
    }

    static boolean isException(DebugEvent e, int code) {
        return e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT && exceptionCode(e) == code;
    }

    EProcess process(int pid) {
        return kernel.clientIds().process(Integer.toUnsignedLong(pid));
    }

    /** Waits until a process object is signalled; returns its exit status. */
    static int awaitExit(EProcess process) {
        NtStatus s = Dispatcher.waitForSingle(new Waiter(), process.exitedEvent(), false, SystemTime.relativeMillis(TIMEOUT.toMillis()));
        assertEquals(NtStatus.STATUS_SUCCESS, s, () -> process + " did not exit within " + TIMEOUT);
        return process.exitStatus();
    }

    /** Waits for a condition (polled on Linux state: /proc), failing after the timeout. */
    static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Spawns a program untraced (an attach target) with stdout on a pipe; returns {pid, read end}. */
    int[] spawnWithPipe(String name, String... args) {
        int[] fds = Posix.pipe(Posix.O_CLOEXEC).orElseThrow();
        List<String> argv = new ArrayList<>();
        argv.add(TestPrograms.path(name));
        argv.addAll(List.of(args));
        int pid = dev.debugport.linux.ptrace.Spawner.spawn(argv, quiet().withStdout(Stdio.fd(fds[1]))).orElseThrow();
        spawned.add(pid);
        pids.add(pid);
        Posix.close(fds[1]);
        return new int[] {pid, fds[0]};
    }

    /** Another debugger: a new host thread of the JVM's process with its own Kernel32 (and no DbgUi handle yet). */
    Kernel32 otherDebugger() {
        return new Kernel32(dbgk, platform.createHostThread("debugger"));
    }

    /** Spawns a program untraced with stdin and stdout on pipes; returns {pid, stdin write end, stdout read end}. */
    int[] spawnWithPipes(String name, String... args) {
        int[] in = Posix.pipe(Posix.O_CLOEXEC).orElseThrow();
        int[] out = Posix.pipe(Posix.O_CLOEXEC).orElseThrow();
        List<String> argv = new ArrayList<>();
        argv.add(TestPrograms.path(name));
        argv.addAll(List.of(args));
        int pid = dev.debugport.linux.ptrace.Spawner.spawn(argv, quiet().withStdin(Stdio.fd(in[0])).withStdout(Stdio.fd(out[1])))
                .orElseThrow();
        spawned.add(pid);
        pids.add(pid);
        Posix.close(in[0]);
        Posix.close(out[1]);
        return new int[] {pid, in[1], out[0]};
    }

    /** Writes a line to a pipe's write end. */
    static void writeLine(int fd, String line) {
        try (java.io.FileOutputStream o = new java.io.FileOutputStream("/proc/self/fd/" + fd)) {
            o.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Asserts that no event arrives within {@code millis} (the wait times out with ERROR_SEM_TIMEOUT). */
    void assertNoEvent(int millis) {
        UserPointer<DebugEvent> e = UserPointer.empty();
        if (k32.waitForDebugEventEx(e, millis)) {
            fail("unexpected event " + e.get());
        }
        assertEquals(dev.debugport.nt.Win32Error.ERROR_SEM_TIMEOUT, k32.getLastError());
    }

    /** Reads one line from {@code fd} (blocking read on a helper thread), failing after the timeout. */
    static String readLine(int fd) {
        java.util.concurrent.CompletableFuture<String> line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
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
                sb.append((char) b[0]);
            }
        }, r -> Thread.ofPlatform().daemon(true).start(r));
        try {
            return line.get(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            for (EThread t : List.copyOf(debuggerProcess.threads())) {
                if (!t.hasExited()) {
                    platform.exitHostThread(t, 0);
                }
            }
            for (int pid : pids) {
                EProcess p = process(pid);
                if (p != null && !spawned.contains(pid) && p.debugPort() == null && !p.hasExited()
                        && p.platformData() instanceof LinuxProcess lp && lp.ourChild) {
                    awaitExit(p);
                }
            }
        } finally {
            // Looked at on the tracer thread, between two statuses: a reaped process is no longer followed there.
            try {
                phantoms.addAll(platform.tracer().submit(p -> platform.tracer().processes().stream()
                        .filter(pid -> !Procfs.exists(pid)).toList()).get(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
            } catch (Exception e) {
                phantoms.add(-1); // the tracer did not answer: reported below, after the platform is closed
            }
            platform.close();
            for (int pid : spawned) {
                Posix.kill(pid, Signals.SIGKILL);
                SysResult<Optional<Posix.Waited>> w;
                do {
                    w = Posix.waitpid(pid, Posix.WALL);
                } while (w.failedWith(Errno.EINTR));
            }
        }
        Set<Integer> all = new LinkedHashSet<>(pids);
        all.addAll(platform.tracer().everSeen());
        assertNothingLeft(all);
        assertTrue(phantoms.isEmpty(), () -> "the tracer still followed processes that were gone: " + phantoms);
    }

    /** Every pid given is gone or running untraced; no child of the JVM is stopped, traced or zombie. */
    void assertNothingLeft(Collection<Integer> check) {
        for (int pid : check) {
            assertRunningUntracedOrGone(pid);
        }
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit) && Procfs.ppid(Integer.parseInt(name)).orElse(-1) == jvmPid) {
                    assertRunningUntracedOrGone(Integer.parseInt(name));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        SysResult<Optional<SigInfo>> zombie = Posix.waitid(Posix.P_ALL, 0, Posix.WEXITED | Posix.WALL | Posix.WNOHANG | Posix.WNOWAIT);
        if (zombie instanceof SysResult.Ok<Optional<SigInfo>>(Optional<SigInfo> z) && z.isPresent()) {
            fail("an unreaped child of the JVM: " + z.get());
        }
    }

    private static void assertRunningUntracedOrGone(int pid) {
        SysResult<Map<String, String>> status = Procfs.status(pid);
        if (!status.isOk()) {
            return;
        }
        String state = status.orElseThrow().getOrDefault("State", "?");
        String tracer = status.orElseThrow().getOrDefault("TracerPid", "?");
        assertFalse(state.startsWith("t") || state.startsWith("T") || state.startsWith("Z") || state.startsWith("X"),
                "process " + pid + " left in state " + state);
        assertEquals("0", tracer, "process " + pid + " still traced");
    }
}
