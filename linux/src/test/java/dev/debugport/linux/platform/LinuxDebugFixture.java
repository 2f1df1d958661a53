package dev.debugport.linux.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.dbgk.Dbgk;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ke.Dispatcher;
import dev.debugport.kernel.ke.SystemTime;
import dev.debugport.kernel.ke.Waiter;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.linux.ChildProcesses;
import dev.debugport.linux.Conditions;
import dev.debugport.linux.TestPrograms;
import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.SpawnOptions;
import dev.debugport.linux.ptrace.Stdio;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.NtStatus;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import dev.debugport.win32.testing.DebuggerFixture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A Linux machine with Dbgk installed and one debugger (a host thread of the JVM's process with its Kernel32, whose
 * debug loop {@link DebuggerFixture} drives), plus the waits the tests need. Every wait has a timeout; nothing sleeps.
 * {@link #close()} ends the debugger (its kill-on-close object kills what is left), waits for every process the test
 * saw to end, closes the platform and checks that no process is left stopped, traced or zombie.
 */
final class LinuxDebugFixture extends DebuggerFixture implements AutoCloseable {
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
    private final List<Integer> phantoms = new ArrayList<>();

    LinuxDebugFixture() {
        super(TIMEOUT);
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
        return new LinuxProgram(TestPrograms.argv(name, args), quiet());
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

    @Override
    protected Kernel32 debugger() {
        return k32;
    }

    @Override
    protected void onEvent(DebugEvent e) {
        pids.add(e.processId());
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

    EProcess process(int pid) {
        return kernel.clientIds().process(Integer.toUnsignedLong(pid));
    }

    /** Waits until a process object is signalled; returns its exit status. */
    static int awaitExit(EProcess process) {
        NtStatus s = Dispatcher.waitForSingle(new Waiter(), process.exitedEvent(), false, SystemTime.relativeMillis(TIMEOUT.toMillis()));
        assertEquals(NtStatus.STATUS_SUCCESS, s, () -> process + " did not exit within " + TIMEOUT);
        return process.exitStatus();
    }

    /**
     * Resumes every event up to and including the next breakpoint exception (what an attach reports: its process,
     * thread and module events, then the break-in); returns them.
     */
    List<DebugEvent> resumeThroughBreakpoint() {
        List<DebugEvent> events = new ArrayList<>();
        while (true) {
            DebugEvent e = next();
            events.add(e);
            resume(e);
            if (isException(e, NtStatus.STATUS_BREAKPOINT.value())) {
                return events;
            }
        }
    }

    /** Waits for a condition (polled on Linux state: /proc), failing after the timeout. */
    static void awaitCondition(String what, BooleanSupplier condition) {
        Conditions.await(what, TIMEOUT, condition);
    }

    /** Spawns a program untraced (an attach target) with stdout on a pipe; returns {pid, read end}. */
    int[] spawnWithPipe(String name, String... args) {
        int[] fds = Posix.pipe(Posix.O_CLOEXEC).orElseThrow();
        List<String> argv = TestPrograms.argv(name, args);
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
        List<String> argv = TestPrograms.argv(name, args);
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

    /** Reads one line from {@code fd}, failing after the timeout. */
    static String readLine(int fd) {
        return ChildProcesses.readLine(fd, TIMEOUT);
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
                ChildProcesses.killAndReap(pid);
            }
        }
        Set<Integer> all = new LinkedHashSet<>(pids);
        all.addAll(platform.tracer().everSeen());
        ChildProcesses.assertNothingLeft(all);
        assertTrue(phantoms.isEmpty(), () -> "the tracer still followed processes that were gone: " + phantoms);
    }
}
