package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.PtraceConstants;
import dev.debugport.linux.ptrace.SpawnOptions;
import java.util.Objects;

/**
 * How {@link Tracer#launch} starts a program.
 *
 * @param spawn         stdio, environment, directory
 * @param ptraceOptions the PTRACE_O_* options to seize with ({@code PTRACE_O_TRACEEXEC} is always added: the launch
 *                      completes at the exec stop)
 * @param killOnClose   whether {@link Tracer#close()} kills it (otherwise it detaches it)
 */
public record LaunchOptions(SpawnOptions spawn, long ptraceOptions, boolean killOnClose) {
    public LaunchOptions {
        Objects.requireNonNull(spawn);
        ptraceOptions |= PtraceConstants.PTRACE_O_TRACEEXEC;
    }

    /** Terminal passed through, the default ptrace options (exec, clone, fork, vfork, exit, exitkill), kill on close. */
    public static LaunchOptions defaults() {
        return new LaunchOptions(SpawnOptions.defaults(), PtraceConstants.DEFAULT_OPTIONS, true);
    }

    public LaunchOptions withSpawn(SpawnOptions s) {
        return new LaunchOptions(s, ptraceOptions, killOnClose);
    }

    public LaunchOptions withPtraceOptions(long options) {
        return new LaunchOptions(spawn, options, killOnClose);
    }

    public LaunchOptions withKillOnClose(boolean b) {
        return new LaunchOptions(spawn, ptraceOptions, b);
    }
}
