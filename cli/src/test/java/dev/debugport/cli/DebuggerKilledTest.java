package dev.debugport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.Signals;
import dev.debugport.linux.ptrace.WaitStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * `debugport attach` in a JVM of its own, killed with SIGKILL while it debugs: the debug object never gets closed,
 * and the debuggee's fate follows its kill-on-close flag as on Windows, where the kernel closes a dead debugger's
 * handles: without --kill-on-exit (DebugSetProcessKillOnExit(FALSE)) it runs on, no longer traced; with it, it dies.
 */
class DebuggerKilledTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final List<Integer> spawned = new ArrayList<>();
    private Process debugger;

    @AfterEach
    void cleanUp() {
        if (debugger != null) {
            debugger.destroyForcibly();
        }
        for (int pid : spawned) {
            Posix.kill(pid, Signals.SIGKILL);
            Posix.waitpid(pid, Posix.WALL);
        }
    }

    @Test
    void aDebuggeeWhoseDebuggerDiesWithoutKillOnExitRunsOnUntraced() throws Exception {
        int pid = WaiterProgram.start();
        spawned.add(pid);
        attachThenKillTheDebugger(pid, "attach", Integer.toString(pid));
        assertEquals("0", Procfs.status(pid).orElseThrow().get("TracerPid"), "the kernel detached it");
        assertTrue(Posix.kill(pid, Signals.SIGUSR1).isOk());
        WaitStatus end = Posix.waitpid(pid, Posix.WALL).orElseThrow().orElseThrow().status();
        spawned.remove((Integer) pid);
        assertTrue(end instanceof WaitStatus.Exited x && x.code() == 0, "it ran on and exited normally when told to: " + end);
    }

    @Test
    void aDebuggeeWhoseDebuggerDiesWithKillOnExitDiesToo() throws Exception {
        int pid = WaiterProgram.start();
        spawned.add(pid);
        attachThenKillTheDebugger(pid, "attach", "--kill-on-exit", Integer.toString(pid));
        WaitStatus end = Posix.waitpid(pid, Posix.WALL).orElseThrow().orElseThrow().status();
        spawned.remove((Integer) pid);
        assertTrue(end instanceof WaitStatus.Killed k && k.signal() == Signals.SIGKILL, "killed with its debugger: " + end);
    }

    /** Runs the CLI with {@code args} in a new JVM until it reported the break-in, then kills that JVM (SIGKILL). */
    private void attachThenKillTheDebugger(int pid, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        debugger = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> brokeIn = CompletableFuture.supplyAsync(() -> readUntilBreakIn(debugger));
        String seen = brokeIn.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!seen.contains("Break instruction exception")) {
            fail("no break-in reported: " + seen);
        }
        assertTrue(!"0".equals(Procfs.status(pid).orElseThrow().get("TracerPid")), "traced while the debugger lives");
        debugger.destroyForcibly();
        assertTrue(debugger.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "the debugger JVM ended");
    }

    /** The debugger's output up to the break-in line (or to its end). */
    private static String readUntilBreakIn(Process p) {
        StringBuilder seen = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.contains("Break instruction exception")) {
                    break;
                }
            }
        } catch (IOException e) {
            seen.append(e);
        }
        return seen.toString();
    }
}
