package dev.debugport.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The workload the launcher makes its start-up cache from (the JDK's AOT cache holds the classes a training run
 * loaded, parsed and linked): {@code run -- /bin/true}, then {@code attach} to an idle JVM, which is killed once the
 * attach's break-in has been printed. Both commands then start with their classes ready; training on {@code run}
 * alone left an attach to a process of a thousand threads ~20 ms slower (bench/attach-many). Not a user command: the
 * launcher runs it once per build.
 */
public final class StartupTraining {
    /** What the event printer writes for the break-in that ends an attach's start-up messages. */
    private static final String BREAK_IN = "Break instruction exception";
    private static final String IDLE = "--idle";
    private static final String READY = "ready";

    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length == 1 && args[0].equals(IDLE)) {
            idle();
            return;
        }
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        Main.run(quiet, quiet, "run", "--", "/bin/true");
        // The target is a JVM (this class, idle): the one program at hand with threads (~20) and shared libraries
        // (~15), so that the attach posts every kind of start-up message. It is started by a shell pipeline that
        // ends once the JVM said it is ready, so that it is not a child of this JVM (whose process reaper would race
        // the tracer for its exit status), and so that the shell's output is all there when the shell has ended.
        String java = ProcessHandle.current().info().command().orElse("java");
        Process shell = new ProcessBuilder("sh", "-c",
                "{ \"$0\" -cp \"$1\" \"$2\" " + IDLE + " </dev/null 2>/dev/null & echo $!; } | head -n 2",
                java, System.getProperty("java.class.path"), StartupTraining.class.getName()).start();
        String[] said = new String(shell.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).split("\n");
        shell.waitFor(10, TimeUnit.SECONDS);
        Optional<ProcessHandle> target = said[0].matches("\\d+") ? ProcessHandle.of(Long.parseLong(said[0]))
                : Optional.empty();
        try {
            if (target.isPresent() && said.length == 2 && said[1].equals(READY)) {
                KillAfterBreakIn watcher = new KillAfterBreakIn(target.get());
                Main.run(new PrintWriter(watcher, true), quiet, "attach", said[0]);
                if (!watcher.killed) {
                    System.err.println("debugport: start-up training: the attach printed no break-in");
                }
            } else {
                System.err.println("debugport: start-up training: no process to attach to");
            }
        } finally {
            target.ifPresent(ProcessHandle::destroyForcibly);
        }
        System.exit(0);
    }

    /** The attach's target: says it is ready, then waits to be killed (it ends on its own after a minute). */
    private static void idle() throws InterruptedException {
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(60_000);
    }

    /** Discards what the attach prints, and kills the process once the break-in line has come. */
    private static final class KillAfterBreakIn extends Writer {
        private final ProcessHandle process;
        private final StringBuilder line = new StringBuilder();
        private boolean killed;

        KillAfterBreakIn(ProcessHandle process) {
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
                    process.destroyForcibly();
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
