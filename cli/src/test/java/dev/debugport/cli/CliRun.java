package dev.debugport.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * One run of the command line inside the test's JVM ({@link Main#run}), with what it printed.
 *
 * @param status the exit status it returned
 * @param out    its standard output
 * @param err    its standard error
 */
record CliRun(int status, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(status, out.toString(), err.toString());
    }

    /**
     * Starts a command line that runs until something ends it (serve), on another thread; standard error is dropped.
     *
     * @param out receives its standard output as it is printed
     * @return its exit status when it ends
     */
    static CompletableFuture<Integer> start(StringWriter out, String... args) {
        return CompletableFuture.supplyAsync(() -> Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), args));
    }

    /** The path of a C test program that the test build compiled into target/test-bin. */
    static String program(String name) {
        Path p = Path.of(System.getProperty("debugport.testBin", "target/test-bin")).resolve(name).toAbsolutePath();
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("test program missing: " + p + " (run the Maven test build)");
        }
        return p.toString();
    }
}
