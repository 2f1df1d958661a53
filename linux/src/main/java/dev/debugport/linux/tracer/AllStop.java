package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.Errno;
import dev.debugport.linux.ptrace.Ptrace;
import dev.debugport.linux.ptrace.SysResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The all-stops in progress ({@link Tracer#stopProcess}, and the last step of an attach and of a detach), at most one
 * per process: interrupts every running thread of the process and completes when every thread is in a ptrace-stop.
 * Meanwhile the interrupt stops are absorbed and every other event of the process is held back; the held events are
 * delivered, in order, right after the completion (their threads stay stopped). Tracer thread only.
 */
final class AllStop {
    private static final System.Logger LOG = System.getLogger(AllStop.class.getName());

    private final TraceTable table;
    private final Ptrace ptrace;
    private final Consumer<TraceEvent> deliver;
    private final Map<Integer, StopRequest> stopRequests = new HashMap<>();

    /** An all-stop in progress for one process. */
    static final class StopRequest {
        final TracedProcess proc;
        boolean attach;
        final List<CompletableFuture<SysResult<List<Integer>>>> futures = new ArrayList<>();
        final List<BiConsumer<StopRequest, SysResult<List<Integer>>>> actions = new ArrayList<>();
        final List<TraceEvent> deferred = new ArrayList<>();

        StopRequest(TracedProcess proc, boolean attach) {
            this.proc = proc;
            this.attach = attach;
        }
    }

    /** {@code deliver} hands a held-back event to the listener once its all-stop has completed. */
    AllStop(TraceTable table, Ptrace ptrace, Consumer<TraceEvent> deliver) {
        this.table = table;
        this.ptrace = ptrace;
        this.deliver = deliver;
    }

    /** The all-stop in progress for {@code pid}, or null. */
    StopRequest inProgress(int pid) {
        return stopRequests.get(pid);
    }

    /**
     * Starts (or joins) the all-stop of {@code p}; an attach's all-stop also absorbs the first stops of threads that
     * are new to the tracer. {@code action}, if any, runs at the completion, before the futures complete and the held
     * events are delivered.
     */
    CompletableFuture<SysResult<List<Integer>>> request(
            TracedProcess p, boolean attach, BiConsumer<StopRequest, SysResult<List<Integer>>> action) {
        StopRequest r = stopRequests.get(p.pid);
        if (r == null) {
            r = new StopRequest(p, attach);
            stopRequests.put(p.pid, r);
        } else if (attach) {
            r.attach = true;
        }
        CompletableFuture<SysResult<List<Integer>>> f = new CompletableFuture<>();
        r.futures.add(f);
        if (action != null) {
            r.actions.add(action);
        }
        for (int tid : List.copyOf(p.tids)) {
            TracedThread t = table.threads.get(tid);
            if (t == null || t.stopped || !t.firstStopSeen || t.interruptPending) {
                continue; // stopped, or a stop is on the way (an auto-attached thread's first, or an interrupt's)
            }
            if (t.lastResume != Ptrace.Resume.LISTEN && inPtraceStop(tid)) {
                continue; // already in a ptrace-stop whose report we have not consumed yet
            }
            if (ptrace.interrupt(tid).isOk()) {
                t.interruptPending = true;
            }
        }
        checkStopRequest(r);
        return f;
    }

    /**
     * Whether {@code tid} sits in a ptrace-stop, asked of the kernel with a harmless PTRACE_GETEVENTMSG: every ptrace
     * request but the attaching ones, PTRACE_INTERRUPT and PTRACE_KILL succeeds only on a tracee in a ptrace-stop and
     * fails with ESRCH on a running one. One system call, where reading the 't' state from /proc/tid/stat costs an
     * open, a read and a close (an all-stop of a thousand threads spent most of its time there).
     */
    boolean inPtraceStop(int tid) {
        return ptrace.getEventMsg(tid).isOk();
    }

    private void checkStopRequest(StopRequest r) {
        if (stopRequests.get(r.proc.pid) != r) {
            return;
        }
        TracedProcess p = r.proc;
        if (table.procs.get(p.pid) != p || p.tids.isEmpty()) {
            completeStopRequest(r, SysResult.err(Errno.ESRCH, "stop " + p.pid + ": the process is gone"));
            return;
        }
        for (int tid : p.tids) {
            TracedThread t = table.threads.get(tid);
            if (t != null && !t.stopped) {
                return;
            }
        }
        completeStopRequest(r, SysResult.ok(List.copyOf(p.tids)));
    }

    private void completeStopRequest(StopRequest r, SysResult<List<Integer>> result) {
        stopRequests.remove(r.proc.pid);
        for (BiConsumer<StopRequest, SysResult<List<Integer>>> a : r.actions) {
            try {
                a.accept(r, result);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "all-stop action failed", e);
            }
        }
        for (CompletableFuture<SysResult<List<Integer>>> f : r.futures) {
            f.complete(result);
        }
        for (TraceEvent ev : r.deferred) {
            StopRequest again = stopRequests.get(ev.pid());
            if (again != null) {
                again.deferred.add(ev);
            } else {
                deliver.accept(ev);
            }
        }
    }

    /**
     * Takes an event of a process whose all-stop is in progress: absorbs it (an interrupt's stop, or in an attach a
     * new thread's first stop or the clone stop announcing a thread the attach seized) or holds it back.
     *
     * @return false when no all-stop of the process is in progress (the event is not taken)
     */
    boolean take(TracedThread t, TraceEvent ev) {
        StopRequest r = stopRequests.get(t.proc.pid);
        if (r == null) {
            return false;
        }
        if (!absorbs(r, t, ev)) {
            r.deferred.add(ev);
        }
        checkStopRequest(r);
        return true;
    }

    private boolean absorbs(StopRequest r, TracedThread t, TraceEvent ev) {
        return switch (ev) {
            case TraceEvent.InterruptStop i -> {
                t.interruptPending = false;
                yield true;
            }
            case TraceEvent.NewThreadFirstStop n -> r.attach;
            case TraceEvent.CloneStop c -> r.attach && r.proc.tids.contains(c.newTid());
            default -> false;
        };
    }

    /** Drops an ended or detached process from the table; an all-stop of it then completes (ESRCH). */
    void forgetProcess(TracedProcess p) {
        if (table.procs.remove(p.pid, p)) {
            StopRequest r = stopRequests.get(p.pid);
            if (r != null) {
                checkStopRequest(r);
            }
        }
    }

    /** Completes every all-stop in progress with ESRCH (the tracer is closing). */
    void failAll() {
        for (StopRequest r : List.copyOf(stopRequests.values())) {
            completeStopRequest(r, SysResult.err(Errno.ESRCH, "the tracer was closed"));
        }
    }
}
