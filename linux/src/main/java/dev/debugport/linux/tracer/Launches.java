package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.Errno;
import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Ptrace;
import dev.debugport.linux.ptrace.Signals;
import dev.debugport.linux.ptrace.Spawner;
import dev.debugport.linux.ptrace.SysResult;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Launches under the tracer ({@link Tracer#launch}): {@link Spawner#spawnStopped} ({@code sh -c 'kill -STOP $$; exec
 * "$0" "$@"'} with posix_spawnp, then waitpid(WUNTRACED)), {@code PTRACE_SEIZE} with the options, SIGCONT. The shell's
 * stops before the exec (two PTRACE_EVENT_STOP group-stop reports and the SIGCONT signal-delivery-stop) are resumed
 * here; the launch completes at PTRACE_EVENT_EXEC, whose {@link TraceEvent.ExecStop} is then delivered as usual. A
 * shell that exits before the exec (126, 127: exec failed) completes the launch with an error value. Tracer thread
 * only.
 */
final class Launches {
    private final TraceTable table;
    private final Ptrace ptrace;

    Launches(TraceTable table, Ptrace ptrace) {
        this.table = table;
        this.ptrace = ptrace;
    }

    /** Spawns, seizes and continues {@code argv}; the future completes at its exec (or the launch shell's end). */
    CompletableFuture<SysResult<Launched>> start(List<String> argv, LaunchOptions lo) {
        if (argv.isEmpty()) {
            return CompletableFuture.completedFuture(SysResult.err(Errno.EINVAL, "launch: empty argv"));
        }
        SysResult<Path> program = Spawner.resolveProgram(argv.getFirst(), lo.spawn());
        if (!(program instanceof SysResult.Ok<Path>(Path path))) {
            return CompletableFuture.completedFuture(program.castErr());
        }
        SysResult<Integer> spawned = Spawner.spawnStopped(path, argv.subList(1, argv.size()), lo.spawn());
        if (!(spawned instanceof SysResult.Ok<Integer>(Integer pid))) {
            return CompletableFuture.completedFuture(spawned.castErr());
        }
        table.everSeen.add(pid);
        SysResult<Void> seized = ptrace.seize(pid, lo.ptraceOptions());
        if (!seized.isOk()) {
            Posix.kill(pid, Signals.SIGKILL);
            WakeupHelper.reap(pid);
            return CompletableFuture.completedFuture(seized.castErr());
        }
        TracedProcess p = new TracedProcess(pid, true, lo.killOnClose(), lo.ptraceOptions());
        p.prelude = true;
        p.program = path;
        p.launch = new CompletableFuture<>();
        table.procs.put(pid, p);
        table.addTid(p, pid, true);
        Posix.kill(pid, Signals.SIGCONT);
        return p.launch;
    }

    /**
     * Takes an event of a launch shell before its exec: resumes its stops; completes the launch at the exec or at the
     * shell's end.
     *
     * @return whether the event was taken; false for the exec stop, which is then routed like any other event
     */
    boolean takePreludeEvent(TracedProcess p, TracedThread t, TraceEvent ev) {
        switch (ev) {
            case TraceEvent.ExecStop e -> {
                p.prelude = false;
                CompletableFuture<SysResult<Launched>> f = p.launch;
                p.launch = null;
                f.complete(SysResult.ok(new Launched(p.pid, p.program, e)));
                return false;
            }
            case TraceEvent.Exited x -> fail(p, switch (x.code()) {
                case 127 -> SysResult.err(Errno.ENOENT, "launch " + p.program
                        + ": exec failed (the launch shell exited with 127: not found)");
                case 126 -> SysResult.err(Errno.EACCES, "launch " + p.program
                        + ": exec failed (the launch shell exited with 126: cannot execute)");
                default -> SysResult.err(Errno.ECHILD, "launch " + p.program
                        + ": the launch shell exited with " + x.code() + " before the exec");
            });
            case TraceEvent.Killed k -> fail(p, SysResult.err(Errno.ECHILD, "launch " + p.program
                    + ": the launch shell was killed by " + Signals.name(k.signal()) + " before the exec"));
            case TraceEvent.SignalStop s -> ptrace.cont(t.tid, s.signal());
            default -> ptrace.cont(t.tid, 0);
        }
        return true;
    }

    /** Completes the launch of {@code p} with {@code error} (it ended before its exec, or the tracer is closing). */
    void fail(TracedProcess p, SysResult<Launched> error) {
        p.prelude = false;
        CompletableFuture<SysResult<Launched>> f = p.launch;
        p.launch = null;
        if (f != null) {
            f.complete(error);
        }
    }
}
