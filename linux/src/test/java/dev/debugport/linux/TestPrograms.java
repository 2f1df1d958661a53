package dev.debugport.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The C test programs that the test build compiled into target/test-bin. */
public final class TestPrograms {
    private TestPrograms() {
    }

    public static Path dir() {
        Path dir = Path.of(System.getProperty("debugport.testBin", "target/test-bin")).toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("test programs not built: " + dir + " (run the Maven test build)");
        }
        return dir;
    }

    /** The path of test program {@code name} (or {@code libname.so}). */
    public static String path(String name) {
        Path p = dir().resolve(name);
        if (!Files.isExecutable(p) && !name.endsWith(".so")) {
            throw new IllegalStateException("test program missing: " + p);
        }
        return p.toString();
    }

    /** The command line that runs test program {@code name} with {@code args}. */
    public static List<String> argv(String name, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(path(name));
        argv.addAll(List.of(args));
        return argv;
    }
}
