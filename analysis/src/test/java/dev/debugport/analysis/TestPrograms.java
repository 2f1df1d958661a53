package dev.debugport.analysis;

import java.nio.file.Files;
import java.nio.file.Path;

/** The C test programs that the test build compiled into target/test-bin (src/test/c/build.sh). */
public final class TestPrograms {
    private TestPrograms() {
    }

    /** The path of test program {@code name}, e.g. {@code callchain-O2}. */
    public static Path path(String name) {
        Path p = Path.of(System.getProperty("debugport.testBin", "target/test-bin")).toAbsolutePath().resolve(name);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("test program missing: " + p + " (run the Maven test build)");
        }
        return p;
    }
}
