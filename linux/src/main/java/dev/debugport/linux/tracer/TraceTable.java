package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.Ptrace;
import dev.debugport.linux.ptrace.PtraceConstants;
import dev.debugport.linux.ptrace.SysResult;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tracer's thread and process table: which processes and threads it traces, which of them sit in a ptrace-stop,
 * the children it launched and detached from (it still reaps them), and every id it ever traced. The tracer thread
 * alone writes it; the maps are concurrent only so that other threads can take snapshots ({@link Tracer#processes},
 * {@link Tracer#isStopped}).
 */
final class TraceTable {
    final Map<Integer, TracedProcess> procs = new ConcurrentHashMap<>();
    final Map<Integer, TracedThread> threads = new ConcurrentHashMap<>();
    /** Every pid and tid ever traced or spawned, including the wake-up helper (for leak checks). */
    final Set<Integer> everSeen = ConcurrentHashMap.newKeySet();
    /** Children the tracer launched and then detached from: it is still their parent and reaps them. */
    final Set<Integer> detachedChildren = new HashSet<>();
    /** How many of {@link #threads} are in a ptrace-stop: the loop asks at every turn, with a thousand threads too. */
    private int stoppedTracees;
    /** The tracer thread's kernel tid, set as it starts (read by other threads too: {@link Tracer#tracerTid}). */
    volatile int tracerTid;

    /** Whether this tracer traces {@code tid}: /proc's TracerPid names the tracer <i>thread</i>, so it is exact. */
    boolean tracedHere(int tid) {
        return Procfs.tracerPid(tid).orElse(-1) == tracerTid;
    }

    /** Whether there are tracees and every one of them is in a ptrace-stop (so none of them can report anything). */
    boolean everyTraceeStopped() {
        return !threads.isEmpty() && stoppedTracees == threads.size();
    }

    /** Sets a thread's ptrace-stop state, keeping {@link #stoppedTracees} in step. */
    void markStopped(TracedThread t, boolean stopped) {
        if (t.stopped != stopped) {
            t.stopped = stopped;
            stoppedTracees += stopped ? 1 : -1;
        }
    }

    /** {@link Ptrace.Observer#resumed}: the thread runs again, the way {@code how} says. */
    void resumed(int tid, Ptrace.Resume how) {
        TracedThread t = threads.get(tid);
        if (t != null) {
            markStopped(t, false);
            t.lastResume = how;
            t.lastStop = null;
        }
    }

    /**
     * {@link Ptrace.Observer#detached}: drops the thread.
     *
     * @return its process when that has no traced thread left (the caller forgets it), else null
     */
    TracedProcess detached(int tid) {
        TracedThread t = threads.get(tid);
        if (t == null) {
            return null;
        }
        removeTid(tid);
        if (t.proc.ourChild && tid == t.proc.pid) {
            // Still our child: reap it when it ends.
            detachedChildren.add(tid);
        }
        return t.proc.tids.isEmpty() ? t.proc : null;
    }

    TracedThread addTid(TracedProcess p, int tid, boolean firstStopSeen) {
        TracedThread t = new TracedThread(tid, p, firstStopSeen);
        t.options = p.optionsChanged ? -1 : p.ptraceOptions;
        threads.put(tid, t);
        p.tids.add(tid);
        everSeen.add(tid);
        return t;
    }

    void removeTid(int tid) {
        TracedThread t = threads.remove(tid);
        if (t != null && t.stopped) {
            stoppedTracees--;
        }
        if (t != null) {
            t.proc.tids.remove(tid);
        }
    }

    /** A new thread or process announced by its parent's CLONE/FORK/VFORK stop. */
    void registerChild(TracedProcess parent, int newId, boolean isProcess) {
        if (newId <= 0 || threads.containsKey(newId)) {
            return;
        }
        if (everSeen.contains(newId)) {
            // Its first stop came first and it has been detached (or has ended) since: not ours any more. (A reused id
            // of a new child is adopted at its first stop.)
            return;
        }
        int tgid = isProcess ? newId : Procfs.tgid(newId).orElse(parent.pid);
        TracedProcess p = tgid == parent.pid ? parent : procs.computeIfAbsent(tgid,
                id -> new TracedProcess(id, false, parent.killOnClose, parent.ptraceOptions));
        addTid(p, newId, false);
    }

    /** A tracee whose first stop arrived before its parent's event. */
    TracedThread adopt(int tid) {
        if (!(Procfs.tgid(tid) instanceof SysResult.Ok<Integer>(Integer tgid))) {
            return null;
        }
        TracedProcess p = procs.get(tgid);
        if (p == null) {
            TracedProcess parent = procs.get(Procfs.ppid(tgid).orElse(-1));
            p = parent == null ? new TracedProcess(tgid, false, true, PtraceConstants.DEFAULT_OPTIONS)
                    : new TracedProcess(tgid, false, parent.killOnClose, parent.ptraceOptions);
            p.optionsChanged = parent == null || parent.optionsChanged;
            procs.put(p.pid, p);
            everSeen.add(p.pid);
        }
        return addTid(p, tid, false);
    }
}
