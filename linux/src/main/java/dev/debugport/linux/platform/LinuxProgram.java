package dev.debugport.linux.platform;

import dev.debugport.linux.ptrace.SpawnOptions;
import java.util.List;
import java.util.Objects;

/**
 * What a Linux process runs: the {@code program} of CreateProcess on the {@link LinuxPlatform}.
 *
 * @param argv  the program (found in PATH when it has no '/') and its arguments
 * @param spawn stdio, environment and working directory
 */
public record LinuxProgram(List<String> argv, SpawnOptions spawn) {
    public LinuxProgram {
        argv = List.copyOf(argv);
        Objects.requireNonNull(spawn);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argv");
        }
    }

    /** {@code argv} with stdin, stdout and stderr passed through. */
    public static LinuxProgram of(String... argv) {
        return new LinuxProgram(List.of(argv), SpawnOptions.defaults());
    }

    public LinuxProgram withSpawn(SpawnOptions options) {
        return new LinuxProgram(argv, options);
    }
}
