package dev.debugport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.Signals;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `debugport run` and `debugport attach` on real Linux programs (the C test programs of the linux module, built into
 * target/test-bin): the exit status passes through, the events are printed, and bad input is one line and status 2
 * with nothing left running.
 */
class RunAndAttachCommandTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final int jvmPid = Posix.getpid();
    private final List<Integer> spawned = new ArrayList<>();

    @AfterEach
    void nothingLeftRunning() throws IOException {
        for (int pid : spawned) {
            Posix.kill(pid, Signals.SIGKILL);
            Posix.waitpid(pid, Posix.WALL);
        }
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Procfs.ppid(Integer.parseInt(name)).orElse(-1) != jvmPid) {
                    continue;
                }
                Map<String, String> st = Procfs.status(Integer.parseInt(name)).orElse(Map.of());
                String state = st.getOrDefault("State", "X");
                assertFalse(state.startsWith("t") || state.startsWith("T") || state.startsWith("Z"),
                        "child " + name + " left in state " + state);
                assertEquals("0", st.getOrDefault("TracerPid", "0"), "child " + name + " left traced");
            }
        }
    }

    @Test
    void runPassesTheExitStatusThroughAndPrintsTheEvents() {
        CliRun r = CliRun.of("run", "--", CliRun.program("exitcode"), "3");
        assertEquals(3, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\([0-9a-f]+\\.[0-9a-f]+\\): Create process .*/exitcode")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("ModLoad: [0-9a-f]{8}`[0-9a-f]{8} [0-9a-f]{8}`[0-9a-f]{8}   .*/exitcode")),
                () -> "the exe with base and end: " + r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("ModLoad: .*ld-linux-x86-64\\.so\\.2")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("ModLoad: .*libc\\.so\\.6")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.contains("Break instruction exception - code 80000003 (first chance)")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\([0-9a-f]+\\.[0-9a-f]+\\): Exit process, code 0x00000003")), r.out());
        assertFalse(lines.stream().anyMatch(l -> l.matches("ModLoad: 00000000`00000000 00000000`00000000 .*")), "no empty module");
    }

    @Test
    void runOfACrashShowsBothChancesAndExitsLikeAShell() {
        CliRun r = CliRun.of("run", "--json", "--", CliRun.program("segv"));
        assertEquals(128 + Signals.SIGSEGV, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.stream().allMatch(l -> l.startsWith("{\"event\":") && l.endsWith("}")), "JSON Lines only: " + r.out());
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"code\":\"0xc0000005\"") && l.contains("\"first_chance\":true")
                && l.contains("Attempt to write to address 00000000dead0000") && l.contains("\"address_symbol\":\"segv+0x")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"code\":\"0xc0000005\"") && l.contains("\"first_chance\":false")), r.out());
        assertTrue(lines.getLast().matches("\\{\"event\":\"exit_process\".*\"exit_code\":\"0xc0000005\"\\}"), r.out());
    }

    @Test
    void runOfThreadsShowsThemComeAndGo() {
        CliRun r = CliRun.of("run", "--", CliRun.program("threads"), "2");
        assertEquals(0, r.status(), r.err());
        assertEquals(2, r.out().lines().filter(l -> l.matches("\\([0-9a-f]+\\.[0-9a-f]+\\): Create thread, start threads\\+0x.*")).count(), r.out());
        assertEquals(2, r.out().lines().filter(l -> l.contains("Exit thread, code 0x00000000")).count(), r.out());
    }

    @Test
    void runOfAMissingProgramIsOneLineAndStatus2() {
        CliRun r = CliRun.of("run", "--", "/nonexistent/program");
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("debugport: cannot run /nonexistent/program: "), r.err());
        assertTrue(r.out().isEmpty(), r.out());
    }

    @Test
    void runOfSomethingNotExecutableIsOneLineAndStatus2(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("data.txt"), "not a program\n");
        CliRun r = CliRun.of("run", "--", file.toString());
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("EACCES"), r.err());
        CliRun d = CliRun.of("run", "--", dir.toString());
        assertEquals(2, d.status());
        assertEquals(1, d.err().lines().count(), d.err());
    }

    @Test
    void runWithoutAProgramIsAUsageError() {
        CliRun r = CliRun.of("run");
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        CliRun both = CliRun.of("run", "--kill-on-exit", "--detach-on-exit", "--", "/bin/true");
        assertEquals(2, both.status());
    }

    @Test
    void attachToAMissingProcessSaysSo() {
        int missing = 4_000_000; // above the default pid_max
        CliRun r = CliRun.of("attach", Integer.toString(missing));
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("STATUS_INVALID_CID"), r.err());
    }

    @Test
    void attachToInitOrToItselfIsAccessDenied() {
        for (int pid : new int[] {1, jvmPid}) {
            CliRun r = CliRun.of("attach", Integer.toString(pid));
            assertEquals(2, r.status(), r.out());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("STATUS_ACCESS_DENIED (0xC0000022)"), r.err());
        }
        assertEquals("0", Procfs.status(1).orElseThrow().getOrDefault("TracerPid", "?"), "init untouched");
    }

    @Test
    void attachReportsTheRunningProcessUntilItExits() throws Exception {
        int pid = WaiterProgram.start();
        spawned.add(pid);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(
                () -> Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "attach", Integer.toString(pid)));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!out.toString().contains("Break instruction exception")) {
            if (System.nanoTime() > deadline || status.isDone()) {
                fail("no break-in: " + out + err);
            }
            Thread.onSpinWait();
        }
        assertTrue(Posix.kill(pid, Signals.SIGUSR1).isOk());
        assertEquals(0, status.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), err.toString());
        String text = out.toString();
        assertTrue(text.contains("Create process"), text);
        assertTrue(text.contains("ModLoad:"), text);
        assertTrue(text.contains("Unknown exception - code e000000a (first chance)"), text);
        assertTrue(text.contains("Exit process, code 0x00000000"), text);
    }
}
