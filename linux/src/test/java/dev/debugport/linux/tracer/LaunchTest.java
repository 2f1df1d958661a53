package dev.debugport.linux.tracer;

import dev.debugport.linux.TestPrograms;
import dev.debugport.linux.ptrace.Errno;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.SysResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LaunchTest extends TracerTestBase {
    @Test
    void launchStopsAtExecThenRunsToExit() {
        int pid = launch("exitcode", "0");
        assertTrue(tracer.isStopped(pid));
        assertEquals('t', Procfs.state(pid).orElseThrow(), "stopped at the exec stop");
        // TracerPid names the tracer thread (its tid), not the JVM process.
        assertEquals(tracer.tracerTid(), Procfs.tracerPid(pid).orElseThrow());
        assertTrue(tracer.tracerTid() != jvmPid);
        // At the exec stop rip is the dynamic loader's entry, and it is mapped executable.
        long rip = regs(pid).rip();
        assertTrue(rip != 0);
        events.resumeAll();
        cont(pid, 0);
        TraceEvent.ExitStop exitStop = events.next(TraceEvent.ExitStop.class);
        assertEquals(pid, exitStop.tid());
        assertEquals(0, ((dev.debugport.linux.ptrace.WaitStatus.Exited) exitStop.exitStatus()).code());
        TraceEvent.Exited exited = events.next(TraceEvent.Exited.class);
        assertEquals(new TraceEvent.Exited(pid, pid, 0), exited);
        assertTrue(exited.isProcessExit());
        assertFalse(Procfs.exists(pid), "reaped");
        assertTrue(tracer.processes().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 42, 255})
    void exitCodes(int code) {
        int pid = launch("exitcode", Integer.toString(code));
        events.resumeAll();
        cont(pid, 0);
        assertEquals(new TraceEvent.Exited(pid, pid, code), events.awaitProcessEnd(pid));
    }

    @Test
    void missingProgramIsAnErrorValue() {
        SysResult<Launched> r = get(tracer.launch(List.of("/nonexistent/dir/program")));
        assertTrue(r.failedWith(Errno.ENOENT), r::toString);
        SysResult<Launched> byName = get(tracer.launch(List.of("no-such-program-debugport-test")));
        assertTrue(byName.failedWith(Errno.ENOENT), byName::toString);
        assertTrue(events.pending().isEmpty());
    }

    @Test
    void nonExecutableProgramIsAnErrorValue(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-executable"), "#!/bin/sh\nexit 0\n");
        SysResult<Launched> r = get(tracer.launch(List.of(file.toString())));
        assertTrue(r.failedWith(Errno.EACCES), r::toString);
        SysResult<Launched> directory = get(tracer.launch(List.of(dir.toString())));
        assertTrue(directory.failedWith(Errno.EACCES), directory::toString);
    }

    @Test
    void execFailureAfterSpawnIsDetected(@TempDir Path dir) throws IOException {
        // Executable, but its interpreter does not exist: execve fails in the launch shell, which exits 127.
        Path script = Files.writeString(dir.resolve("bad-interpreter"), "#!/nonexistent/interpreter\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        SysResult<Launched> r = get(tracer.launch(List.of(script.toString())));
        assertTrue(r instanceof SysResult.Err<Launched> e && e.what().contains("exec failed"), r::toString);
        assertTrue(tracer.processes().isEmpty());
        assertTrue(events.pending().isEmpty(), () -> "no events for a failed launch: " + events.pending());
    }

    @Test
    void closeKillsAndReapsLaunchedProcesses() {
        int a = launchSleeper();
        int b = launch("threads", "3", "block");
        events.resumeAll();
        cont(b, 0);
        events.await(TraceEvent.NewThreadFirstStop.class, e -> e.pid() == b);
        tracer.close();
        assertFalse(Procfs.exists(a));
        assertFalse(Procfs.exists(b));
        assertFalse(Procfs.exists(tracer.helperPid() > 0 ? tracer.helperPid() : Integer.MAX_VALUE));
    }

    @Test
    void argumentsAndStdioPassThrough(@TempDir Path dir) throws IOException {
        // forkexec runs its argv[1..] in a child: a shell that writes its arguments to stdout.
        Path out = dir.resolve("out.txt");
        LaunchOptions lo = LaunchOptions.defaults().withSpawn(
                dev.debugport.linux.ptrace.SpawnOptions.defaults()
                        .withStdout(dev.debugport.linux.ptrace.Stdio.file(out)));
        Launched l = get(tracer.launch(List.of("/bin/sh", "-c", "echo \"$0|$1|$2\"", "a b", "c", "d'e"), lo))
                .orElseThrow();
        events.next(TraceEvent.ExecStop.class);
        events.resumeAll();
        cont(l.pid(), 0);
        assertEquals(new TraceEvent.Exited(l.pid(), l.pid(), 0), events.awaitProcessEnd(l.pid()));
        assertEquals("a b|c|d'e", Files.readString(out).strip());
        assertEquals(Path.of("/bin/sh"), l.program());
        assertTrue(TestPrograms.dir().isAbsolute());
    }
}
