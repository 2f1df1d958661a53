package dev.debugport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REPL as a person uses it, in a real terminal: tmux runs {@code debugport run -i} on the callchain C program,
 * the test types with send-keys and reads the screen with capture-pane, waiting for what it expects with a deadline.
 */
class DebuggerReplTmuxTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private final String socket = "debugport-test-" + ProcessHandle.current().pid();
    private final String session = "repl";
    @TempDir
    Path dir;
    private Path stderr;

    @AfterEach
    void killServer() throws IOException, InterruptedException {
        tmux("kill-server");
    }

    @Test
    void breakStepInspectAndRunToTheExit() throws Exception {
        start(CliRun.program("callchain"));
        awaitScreen(DebuggerReplTmuxTest::endsWithPrompt, "the first prompt");
        type("bp g");
        type("g");
        awaitScreen(s -> s.contains("Breakpoint 0 hit") && s.contains("callchain!g:") && endsWithPrompt(s), "the breakpoint");
        type("k");
        awaitScreen(s -> s.contains("callchain!f+0x") && s.contains("callchain!main+0x") && endsWithPrompt(s), "the stack main -> f -> g");
        type("t");
        awaitScreen(s -> s.contains("callchain!g+0x1:") && endsWithPrompt(s), "one step into g");
        type("r rsp");
        awaitScreen(s -> s.lines().anyMatch(l -> l.matches("rsp=[0-9a-f]{16}")) && endsWithPrompt(s), "a register");
        type("dq @rsp L2");
        awaitScreen(s -> s.lines().anyMatch(l -> l.matches("[0-9a-f]{8}`[0-9a-f]{8}  [0-9a-f]{8}`[0-9a-f]{8} [0-9a-f]{8}`[0-9a-f]{8}")) && endsWithPrompt(s), "memory");
        type("u callchain!f L3");
        awaitScreen(s -> s.contains("callchain!f:") && s.lines().anyMatch(l -> l.matches(".* push\\s+rbp")) && endsWithPrompt(s), "disassembly");
        type("bc *");
        type("g");
        awaitScreen(s -> s.contains("callchain done: 42") && s.contains("No runnable debuggees left") && endsWithPrompt(s) && s.endsWith("NoTarget>"), "the exit");
        type("q");
        awaitExit();
    }

    @Test
    void controlCBreaksInWhileRunningAndOnlyClearsTheLineAtThePrompt() throws Exception {
        start(CliRun.program("callchain") + " spin");
        awaitScreen(DebuggerReplTmuxTest::endsWithPrompt, "the first prompt");
        type("g");
        awaitScreen(s -> s.contains("0:000> g") && !endsWithPrompt(s), "the target running");
        Predicate<String> brokeIn = s -> s.contains("Control-C exception - code 40010005") && endsWithPrompt(s);
        // The Enter that started g and this Ctrl-C race: a Ctrl-C that lands before the terminal is back in its
        // running mode is only a keystroke, so it is sent again until the break-in shows.
        for (int attempt = 0; !attempt(brokeIn, attempt); attempt++) {
            keys("C-c");
        }
        keys("abc");
        keys("C-c");
        type("? 0n20+0n22");
        awaitScreen(s -> s.contains("Evaluate expression: 42 = 00000000`0000002a") && endsWithPrompt(s),
                "the session goes on after Ctrl-C at the prompt, the line cleared");
        type("q");
        awaitExit();
    }

    // ---- tmux

    /** Starts {@code debugport run -i -- programAndArgs} in a new tmux session (through a script: the class path is long). */
    private void start(String programAndArgs) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        Path script = Files.createTempFile(dir, "debugport", ".sh");
        stderr = dir.resolve("stderr.txt");
        Files.writeString(script, "#!/bin/sh\nexec '" + java + "' --enable-native-access=ALL-UNNAMED -cp '" + cp
                + "' dev.debugport.cli.Main run -i -- " + programAndArgs + " 2>'" + stderr + "'\n");
        assertTrue(script.toFile().setExecutable(true));
        assertEquals(0, tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", script.toString()));
        assertEquals(0, tmux("set-option", "-t", session, "remain-on-exit", "on"));
    }

    private void type(String line) throws Exception {
        keys("-l", line);
        keys("Enter");
    }

    private void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        assertEquals(0, tmux(args.toArray(String[]::new)));
    }

    private String screen() throws Exception {
        Process p = new ProcessBuilder("tmux", "-L", socket, "capture-pane", "-p", "-J", "-S", "-", "-t", session)
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return text.stripTrailing();
    }

    private static boolean endsWithPrompt(String screen) {
        String last = screen.lines().reduce((a, b) -> b).orElse("");
        return last.matches("(\\d+:\\d{3}|NoTarget)>\\s*");
    }

    /** Whether the screen shows {@code condition} within a few seconds; after five attempts, fails with the screen. */
    private boolean attempt(Predicate<String> condition, int attempt) throws Exception {
        if (attempt == 0) {
            return false;
        }
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String s = screen();
        while (System.nanoTime() < end) {
            if (condition.test(s)) {
                return true;
            }
            Thread.onSpinWait();
            s = screen();
        }
        if (attempt >= 5) {
            throw new AssertionError("Ctrl-C did not break in; the screen:\n" + s);
        }
        return false;
    }

    /** Polls the screen until {@code condition} holds, failing with the screen after the deadline. */
    private void awaitScreen(Predicate<String> condition, String what) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        String s = screen();
        while (!condition.test(s)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what + "; the screen:\n" + s + "\nstderr:\n"
                        + (Files.exists(stderr) ? Files.readString(stderr) : ""));
            }
            Thread.onSpinWait();
            s = screen();
        }
    }

    private void awaitExit() throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            Process p = new ProcessBuilder("tmux", "-L", socket, "display-message", "-p", "-t", session, "#{pane_dead}")
                    .redirectErrorStream(true).start();
            String dead = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            if (dead.equals("1")) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("debugport did not exit after q; the screen:\n" + screen());
            }
            Thread.onSpinWait();
        }
    }

    private int tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
