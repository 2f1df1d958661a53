package dev.debugport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.SpawnOptions;
import dev.debugport.linux.ptrace.Spawner;
import dev.debugport.linux.ptrace.Stdio;
import java.util.List;

/** The waiter C program (sleeps until SIGUSR1, then exits 0), started untraced as a target to attach to. */
final class WaiterProgram {
    private WaiterProgram() {
    }

    /** Starts it as a child of the test's JVM and returns its pid once it has printed "ready". */
    static int start() {
        int[] fds = Posix.pipe(Posix.O_CLOEXEC).orElseThrow();
        int pid = Spawner.spawn(List.of(CliRun.program("waiter")), SpawnOptions.defaults().withStdin(Stdio.NULL)
                .withStdout(Stdio.fd(fds[1])).withStderr(Stdio.NULL)).orElseThrow();
        Posix.close(fds[1]);
        byte[] ready = new byte[6];
        assertEquals(6, Posix.read(fds[0], ready, 0, 6).orElseThrow(), "the waiter's ready line");
        Posix.close(fds[0]);
        return pid;
    }
}
