package dev.debugport.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.debugport.linux.ptrace.Errno;
import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.SigInfo;
import dev.debugport.linux.ptrace.Signals;
import dev.debugport.linux.ptrace.SysResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the Linux tests do with the processes they start outside a debugger: read their output from a pipe, kill and
 * reap them afterwards, and check that nothing a test created is left stopped, traced or zombie.
 */
public final class ChildProcesses {
    private ChildProcesses() {
    }

    /** Reads one line from {@code fd} (a blocking read on a helper thread), failing after {@code timeout}. */
    public static String readLine(int fd, Duration timeout) {
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
        try {
            return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** SIGKILL, then waitpid until the process is reaped. */
    public static void killAndReap(int pid) {
        Posix.kill(pid, Signals.SIGKILL);
        SysResult<Optional<Posix.Waited>> w;
        do {
            w = Posix.waitpid(pid, Posix.WALL);
        } while (w.failedWith(Errno.EINTR));
    }

    /** Every pid in {@code pids} is gone or running untraced; no child of the JVM is stopped, traced or zombie. */
    public static void assertNothingLeft(Collection<Integer> pids) {
        assertGone(pids);
        int jvmPid = Posix.getpid();
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
        SysResult<Optional<SigInfo>> zombie = Posix.waitid(Posix.P_ALL, 0,
                Posix.WEXITED | Posix.WALL | Posix.WNOHANG | Posix.WNOWAIT);
        if (zombie instanceof SysResult.Ok<Optional<SigInfo>>(Optional<SigInfo> z) && z.isPresent()) {
            fail("an unreaped child of the JVM: " + z.get());
        }
    }

    /** Every pid in {@code pids} is gone or running untraced (while another tracer may still run). */
    public static void assertGone(Collection<Integer> pids) {
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
        assertFalse(state.startsWith("t") || state.startsWith("T") || state.startsWith("Z") || state.startsWith("X"),
                "process " + pid + " left in state " + state);
        assertEquals("0", tracerPid, "process " + pid + " still traced");
    }
}
