package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.Errno;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.Ptrace;
import dev.debugport.linux.ptrace.SysResult;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;

/**
 * The attach sequence ({@link Tracer#attach}): seizes every thread of a running process (re-reading /proc/pid/task
 * until it stops growing), interrupting each one as soon as it is seized (so the threads stop while the others are
 * seized), then completes as the {@link AllStop} of the process does. Tracer thread only.
 */
final class Attacher {
    private static final System.Logger LOG = System.getLogger(Attacher.class.getName());

    private final TraceTable table;
    private final Ptrace ptrace;
    private final AllStop allStop;
    private final IntPredicate consume;

    /** {@code consume} takes the pending status of one tracee, if it has one (true), as the tracer's loop would. */
    Attacher(TraceTable table, Ptrace ptrace, AllStop allStop, IntPredicate consume) {
        this.table = table;
        this.ptrace = ptrace;
        this.allStop = allStop;
        this.consume = consume;
    }

    /** Seizes and stops every thread of {@code pid}; completes when all are stopped. */
    CompletableFuture<SysResult<Attached>> attach(int pid, long ptraceOptions) {
        if (table.procs.containsKey(pid)) {
            return CompletableFuture.completedFuture(SysResult.err(Errno.EPERM, "attach " + pid + ": already traced"));
        }
        // Running or sleeping, no thread is in a group-stop (which a seize turns into a ptrace-stop): the threads need
        // not be asked one by one whether they stopped before they are interrupted.
        char state = Procfs.state(pid).orElse('?');
        boolean mayBeStopped = state != 'R' && state != 'S' && state != 'D';
        SysResult<Void> leader = ptrace.seize(pid, ptraceOptions);
        if (!leader.isOk()) {
            return CompletableFuture.completedFuture(leader.castErr());
        }
        TracedProcess p = new TracedProcess(pid, false, false, ptraceOptions);
        table.procs.put(pid, p);
        table.everSeen.add(pid);
        interruptSeized(table.addTid(p, pid, true), mayBeStopped);
        Set<Integer> tried = new HashSet<>();
        tried.add(pid);
        boolean grew = true;
        while (grew) {
            grew = false;
            int[] tasks = Procfs.taskIds(pid);
            if (tasks.length == 0) {
                break; // the process is going away; its exit will be reported
            }
            for (int tid : tasks) {
                if (!tried.add(tid)) {
                    continue;
                }
                grew = true;
                if (table.threads.containsKey(tid)) {
                    continue;
                }
                SysResult<Void> r = ptrace.seize(tid, ptraceOptions);
                if (r.isOk()) {
                    interruptSeized(table.addTid(p, tid, true), mayBeStopped);
                } else if (r.failedWith(Errno.EPERM) && table.tracedHere(tid)) {
                    // Auto-attached by TRACECLONE after we seized its creator: its first stop is on the way.
                    table.addTid(p, tid, false);
                } else if (!r.failedWith(Errno.ESRCH)) {
                    LOG.log(System.Logger.Level.WARNING, "attach " + pid + ": cannot seize thread " + tid + ": " + r);
                }
            }
        }
        CompletableFuture<SysResult<List<Integer>>> stopped = allStop.request(p, true, null);
        takeStopsAlreadyIn(p);
        return stopped.thenApply(r -> r.map(tids -> new Attached(pid, tids)));
    }

    /**
     * Consumes the reports of an attach's threads that have stopped already, asking for each thread by its id: the
     * kernel finds a given tid at once, where the loop's waitid(P_ALL) walks the list of every tracee to find one that
     * has something to report (a thousand stops that way cost it a million steps). Sweeps again while a sweep found
     * something; the stops still to come arrive through the loop.
     */
    private void takeStopsAlreadyIn(TracedProcess p) {
        AllStop.StopRequest r = allStop.inProgress(p.pid);
        boolean any = r != null;
        while (any && allStop.inProgress(p.pid) == r) {
            any = false;
            // The newest thread first (the order waitid gives too): checkStopRequest looks for a running thread from
            // the oldest one, which then stays running until the end of the sweep, so each look is one step.
            for (int tid : List.copyOf(p.tids).reversed()) {
                TracedThread t = table.threads.get(tid);
                if (t != null && !t.stopped) {
                    any |= consume.test(tid);
                }
            }
        }
    }

    /**
     * Asks a thread just seized by an attach to stop, right away: it stops while the next ones are seized, instead of
     * all of them starting to stop once the last one is seized. A thread that was in a group-stop is already in a
     * ptrace-stop (the seize traps it) and is left alone, so that no interrupt stays pending for its next resume;
     * that is looked at only when the process was not running or sleeping before the attach ({@code mayBeStopped}).
     * (A SIGSTOP that comes in the middle of the attach may still leave an interrupt pending: its stop is reported,
     * as any late interrupt stop is.)
     */
    private void interruptSeized(TracedThread t, boolean mayBeStopped) {
        if (!(mayBeStopped && allStop.inPtraceStop(t.tid)) && ptrace.interrupt(t.tid).isOk()) {
            t.interruptPending = true;
        }
    }
}
