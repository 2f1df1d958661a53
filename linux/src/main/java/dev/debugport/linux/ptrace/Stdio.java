package dev.debugport.linux.ptrace;

import java.nio.file.Path;
import java.util.Objects;

/** Where a spawned program's stdin, stdout or stderr goes. */
public sealed interface Stdio {
    /** The same file as the JVM's (the default: passes the terminal through). */
    record Inherit() implements Stdio {
    }

    /** {@code /dev/null}. */
    record Null() implements Stdio {
    }

    /** A file: read for stdin; created, and truncated or appended to, for stdout and stderr. */
    record File(Path path, boolean append) implements Stdio {
        public File {
            Objects.requireNonNull(path);
        }
    }

    /** A file descriptor of the JVM, dup2()ed into place (for example the write end of a pipe). */
    record Fd(int fd) implements Stdio {
    }

    Stdio INHERIT = new Inherit();
    Stdio NULL = new Null();

    static Stdio file(Path path) {
        return new File(path, false);
    }

    static Stdio fd(int fd) {
        return new Fd(fd);
    }
}
