package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.SysResult;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** A traced process, as the tracer thread keeps it in its {@link TraceTable}. */
final class TracedProcess {
    final int pid;
    /** Spawned by this thread: the tracer is also the parent and reaps it. */
    final boolean ourChild;
    final Set<Integer> tids = new LinkedHashSet<>();
    boolean killOnClose;
    /** The ptrace options every thread should have (each thread's are its own: {@link TracedThread#options}). */
    long ptraceOptions;
    /** The options changed since the seize: a thread a clone auto-attached may have inherited the old ones. */
    boolean optionsChanged;
    /** Launched, exec not reached yet: the shell's stops are handled internally. */
    boolean prelude;
    /** SIGKILL sent: its stops are resumed, not delivered. */
    boolean killed;
    Path program;
    CompletableFuture<SysResult<Launched>> launch;

    TracedProcess(int pid, boolean ourChild, boolean killOnClose, long ptraceOptions) {
        this.pid = pid;
        this.ourChild = ourChild;
        this.killOnClose = killOnClose;
        this.ptraceOptions = ptraceOptions;
    }
}
