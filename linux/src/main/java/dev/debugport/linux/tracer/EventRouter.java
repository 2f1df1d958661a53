package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.Ptrace;
import dev.debugport.linux.ptrace.WaitStatus;
import java.util.function.Consumer;

/**
 * Takes each status the tracer consumed for a tracee: keeps the {@link TraceTable} in step with it (stops, new threads
 * and processes, ends), has the {@link StatusDecoder} turn it into a {@link TraceEvent}, and sends the event where it
 * belongs: the launch prelude ({@link Launches}), a kill in progress, an {@link AllStop}, or the listener. Tracer
 * thread only.
 */
final class EventRouter {
    private static final System.Logger LOG = System.getLogger(EventRouter.class.getName());

    private final TraceTable table;
    private final Ptrace ptrace;
    private final StatusDecoder decoder;
    private final Launches launches;
    private final AllStop allStop;
    private final Consumer<TraceEvent> deliver;

    /** {@code deliver} hands an event to the listener. */
    EventRouter(TraceTable table, Ptrace ptrace, Launches launches, AllStop allStop, Consumer<TraceEvent> deliver) {
        this.table = table;
        this.ptrace = ptrace;
        this.decoder = new StatusDecoder(ptrace);
        this.launches = launches;
        this.allStop = allStop;
        this.deliver = deliver;
    }

    /** The status {@code st} of {@code tid}, a tracee, a new tracee or a child the tracer detached from. */
    void onStatus(int tid, WaitStatus st) {
        if (table.detachedChildren.contains(tid) && !table.threads.containsKey(tid)) {
            if (st.isGone()) {
                table.detachedChildren.remove(tid);
                // A child we launched and detached from ended: its end is still news to whoever launched it.
                deliver.accept(StatusDecoder.ending(tid, tid, st));
            }
            return;
        }
        TracedThread t = table.threads.get(tid);
        if (t == null) {
            t = table.adopt(tid);
            if (t == null) {
                LOG.log(System.Logger.Level.DEBUG, "status of unknown " + tid + ": " + st);
                return;
            }
        }
        TracedProcess p = t.proc;
        TraceEvent ev = decoder.decode(t, st);
        if (ev.isStop()) {
            table.markStopped(t, true);
            t.lastStop = ev;
            t.firstStopSeen = true;
            if (t.options != p.ptraceOptions && ptrace.setOptions(tid, p.ptraceOptions).isOk()) {
                t.options = p.ptraceOptions;
            }
            if (!(ev instanceof TraceEvent.InterruptStop)) {
                // Any ptrace-stop clears a pending PTRACE_INTERRUPT in the kernel ("any trap clears pending STOP
                // trap"), unless the thread was already stopped when we interrupted it (we avoid that by reading its
                // state first).
                t.interruptPending = false;
            }
        }
        switch (ev) {
            case TraceEvent.CloneStop c -> table.registerChild(p, c.newTid(), false);
            case TraceEvent.ForkStop f -> table.registerChild(p, f.newPid(), true);
            case TraceEvent.VforkStop v -> table.registerChild(p, v.newPid(), true);
            case TraceEvent.ExecStop e when e.formerTid() != tid -> table.removeTid(e.formerTid());
            case TraceEvent.Exited x -> table.removeTid(tid);
            case TraceEvent.Killed k -> table.removeTid(tid);
            default -> {
            }
        }
        if (p.tids.isEmpty()) {
            allStop.forgetProcess(p); // before routing, so that whoever learns of the end finds the tables up to date
        }
        route(t, ev);
    }

    /** Sends an event where it belongs: the launch prelude, a kill in progress, an all-stop, or the listener. */
    private void route(TracedThread t, TraceEvent ev) {
        TracedProcess p = t.proc;
        if (p.prelude && launches.takePreludeEvent(p, t, ev)) {
            return;
        }
        if (p.killed && ev.isStop()) {
            ptrace.cont(t.tid, 0);
            return;
        }
        if (allStop.take(t, ev)) {
            return;
        }
        if (ev instanceof TraceEvent.InterruptStop && t.interruptPending) {
            // The late stop of an interrupt whose all-stop already completed: resume the way it was running.
            t.interruptPending = false;
            resumeLikeBefore(t);
            return;
        }
        deliver.accept(ev);
    }

    private void resumeLikeBefore(TracedThread t) {
        switch (t.lastResume) {
            case SINGLESTEP -> ptrace.singleStep(t.tid, 0);
            case SYSCALL -> ptrace.syscall(t.tid, 0);
            case LISTEN -> ptrace.listen(t.tid);
            case CONT -> ptrace.cont(t.tid, 0);
        }
    }
}
