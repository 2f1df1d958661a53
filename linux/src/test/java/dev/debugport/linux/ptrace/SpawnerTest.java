package dev.debugport.linux.ptrace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** posix_spawnp without a tracer; this test thread is the parent and reaps. */
class SpawnerTest {
    private static WaitStatus reap(int pid) {
        while (true) {
            SysResult<Optional<Posix.Waited>> w = Posix.waitpid(pid, 0);
            if (!w.failedWith(Errno.EINTR)) {
                return w.orElseThrow().orElseThrow().status();
            }
        }
    }

    @Test
    void resolvesLikeExecvp(@TempDir Path dir) throws IOException {
        assertEquals(Path.of("/bin/sh"), Spawner.resolveProgram("/bin/sh", SpawnOptions.defaults()).orElseThrow());
        Path sh = Spawner.resolveProgram("sh", SpawnOptions.defaults()).orElseThrow();
        assertTrue(sh.isAbsolute() && Files.isExecutable(sh));
        assertTrue(Spawner.resolveProgram("", SpawnOptions.defaults()).failedWith(Errno.ENOENT));
        assertTrue(Spawner.resolveProgram("sh", SpawnOptions.defaults().withEnvironment(Map.of("PATH",
                dir.toString()))).failedWith(Errno.ENOENT));
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        assertTrue(Spawner.resolveProgram(plain.toString(), SpawnOptions.defaults()).failedWith(Errno.EACCES));
        assertTrue(Spawner.resolveProgram("plain", SpawnOptions.defaults().withWorkingDirectory(dir)
                .withEnvironment(Map.of("PATH", "."))).failedWith(Errno.EACCES));
    }

    @Test
    void spawnWithEnvironmentDirectoryAndStdout(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        SpawnOptions so = SpawnOptions.defaults().withEnvironment(Map.of("FOO", "bar baz", "PATH", "/usr/bin:/bin"))
                .withWorkingDirectory(dir).withStdout(Stdio.file(out)).withStdin(Stdio.NULL);
        int pid = Spawner.spawn(List.of("sh", "-c", "pwd; echo \"$FOO\"; read x || echo eof; exit 9"), so)
                .orElseThrow();
        assertEquals(new WaitStatus.Exited(9 << 8, 9), reap(pid));
        assertEquals(List.of(dir.toRealPath().toString(), "bar baz", "eof"), Files.readAllLines(out));
    }

    @Test
    void spawnedProgramsStartWithDefaultSignals(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("status");
        int pid = Spawner.spawn(List.of("/bin/sh", "-c", "grep -E '^Sig(Blk|Ign)' /proc/self/status"),
                SpawnOptions.defaults().withStdout(Stdio.file(out))).orElseThrow();
        assertEquals(0, ((WaitStatus.Exited) reap(pid)).code());
        for (String line : Files.readAllLines(out)) {
            assertTrue(line.endsWith("0000000000000000"), line);
        }
    }

    @Test
    void spawnStoppedStopsBeforeTheExec() {
        int pid = Spawner.spawnStopped(List.of("/bin/true"), SpawnOptions.defaults()).orElseThrow();
        assertEquals('T', Procfs.state(pid).orElseThrow(), "the launch shell stopped itself");
        Posix.kill(pid, Signals.SIGKILL).orElseThrow();
        assertEquals(new WaitStatus.Killed(9, 9, false), reap(pid));
        assertTrue(Spawner.spawnStopped(List.of("/no/such/program"), SpawnOptions.defaults())
                .failedWith(Errno.ENOENT));
    }

    @Test
    void spawnFailureIsAnErrorValue() {
        assertTrue(Spawner.spawn(List.of(), SpawnOptions.defaults()).failedWith(Errno.EINVAL));
        assertTrue(Spawner.spawn(List.of("/no/such/program"), SpawnOptions.defaults()).failedWith(Errno.ENOENT));
    }
}
