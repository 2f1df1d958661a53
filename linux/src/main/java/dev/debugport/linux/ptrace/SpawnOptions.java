package dev.debugport.linux.ptrace;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link Spawner} starts a program.
 *
 * @param stdin            fd 0 of the program
 * @param stdout           fd 1
 * @param stderr           fd 2
 * @param environment      the environment, or null to pass the JVM's current one ({@code environ})
 * @param workingDirectory the working directory, or null for the JVM's
 * @param newProcessGroup  put the program in a process group of its own
 * @param closeOtherFds    close every descriptor above 2 in the program (so it inherits none of the JVM's)
 */
public record SpawnOptions(Stdio stdin, Stdio stdout, Stdio stderr, Map<String, String> environment,
                           Path workingDirectory, boolean newProcessGroup, boolean closeOtherFds) {
    public SpawnOptions {
        Objects.requireNonNull(stdin);
        Objects.requireNonNull(stdout);
        Objects.requireNonNull(stderr);
        environment = environment == null ? null : Map.copyOf(environment);
    }

    /** stdin/stdout/stderr passed through, the JVM's environment and directory, same process group. */
    public static SpawnOptions defaults() {
        return new SpawnOptions(Stdio.INHERIT, Stdio.INHERIT, Stdio.INHERIT, null, null, false, true);
    }

    public SpawnOptions withStdin(Stdio s) {
        return new SpawnOptions(s, stdout, stderr, environment, workingDirectory, newProcessGroup, closeOtherFds);
    }

    public SpawnOptions withStdout(Stdio s) {
        return new SpawnOptions(stdin, s, stderr, environment, workingDirectory, newProcessGroup, closeOtherFds);
    }

    public SpawnOptions withStderr(Stdio s) {
        return new SpawnOptions(stdin, stdout, s, environment, workingDirectory, newProcessGroup, closeOtherFds);
    }

    public SpawnOptions withEnvironment(Map<String, String> env) {
        return new SpawnOptions(stdin, stdout, stderr, env, workingDirectory, newProcessGroup, closeOtherFds);
    }

    public SpawnOptions withWorkingDirectory(Path dir) {
        return new SpawnOptions(stdin, stdout, stderr, environment, dir, newProcessGroup, closeOtherFds);
    }

    public SpawnOptions withNewProcessGroup(boolean b) {
        return new SpawnOptions(stdin, stdout, stderr, environment, workingDirectory, b, closeOtherFds);
    }

    public SpawnOptions withCloseOtherFds(boolean b) {
        return new SpawnOptions(stdin, stdout, stderr, environment, workingDirectory, newProcessGroup, b);
    }
}
