package dev.debugport.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The workload the launcher makes its start-up cache from (the JDK's AOT cache holds the classes a training run
 * loaded, parsed and linked): {@code run -- /bin/true}, then {@code attach} to a sleeping process, which is killed
 * once the attach's break-in has been printed. Both commands then start with their classes ready; training on
 * {@code run} alone left an attach to a process of a thousand threads ~20 ms slower (bench/attach-many). Not a user
 * command: the launcher runs it once per build.
 */
public final class StartupTraining {
    /** What the event printer writes for the break-in that ends an attach's start-up messages. */
    private static final String BREAK_IN = "Break instruction exception";

    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        Main.run(quiet, quiet, "run", "--", "/bin/true");
        // The sleep is started by a shell that exits at once, so that it is not a child of this JVM (whose process
        // reaper would race the tracer for its exit status). If the break-in never shows (the output changed), the
        // sleep's end ends the attach anyway.
        Process shell = new ProcessBuilder("sh", "-c", "sleep 10 </dev/null >/dev/null 2>&1 & echo $!").start();
        String pid = new String(shell.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        shell.waitFor(10, TimeUnit.SECONDS);
        Optional<ProcessHandle> sleeper = ProcessHandle.of(Long.parseLong(pid));
        KillAfterBreakIn watcher = new KillAfterBreakIn(sleeper);
        try {
            Main.run(new PrintWriter(watcher, true), quiet, "attach", pid);
        } finally {
            sleeper.ifPresent(ProcessHandle::destroyForcibly);
        }
        if (!watcher.killed) {
            System.err.println("debugport: start-up training: the attach printed no break-in");
        }
        System.exit(0);
    }

    /** Discards what the attach prints, and kills the process once the break-in line has come. */
    private static final class KillAfterBreakIn extends Writer {
        private final Optional<ProcessHandle> process;
        private final StringBuilder line = new StringBuilder();
        private boolean killed;

        KillAfterBreakIn(Optional<ProcessHandle> process) {
            this.process = process;
        }

        @Override
        public void write(char[] text, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (text[i] != '\n') {
                    line.append(text[i]);
                    continue;
                }
                if (line.indexOf(BREAK_IN) >= 0) {
                    process.ifPresent(ProcessHandle::destroyForcibly);
                    killed = true;
                }
                line.setLength(0);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
