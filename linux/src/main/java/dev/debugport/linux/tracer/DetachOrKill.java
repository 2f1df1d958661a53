package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.Errno;
import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Ptrace;
import dev.debugport.linux.ptrace.PtraceConstants;
import dev.debugport.linux.ptrace.Signals;
import dev.debugport.linux.ptrace.SysResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntBinaryOperator;

/**
 * How a process stops being traced: detached ({@link Tracer#detach}: every thread stopped through an {@link AllStop},
 * then PTRACE_DETACH each one) or killed ({@link Tracer#kill}: SIGKILL, its remaining stops resumed), and which of the
 * two {@link Tracer#close} does to it ({@link Tracer#setKillOnClose}, mirrored in PTRACE_O_EXITKILL). Tracer thread
 * only.
 */
final class DetachOrKill {
    private static final System.Logger LOG = System.getLogger(DetachOrKill.class.getName());

    private final TraceTable table;
    private final Ptrace ptrace;
    private final AllStop allStop;

    DetachOrKill(TraceTable table, Ptrace ptrace, AllStop allStop) {
        this.table = table;
        this.ptrace = ptrace;
        this.allStop = allStop;
    }

    /**
     * Stops every thread of {@code pid}, then detaches each one with the signal of the signal-delivery-stop it is in,
     * or with what {@code beforeDetach} (if not null) returns for it.
     */
    CompletableFuture<SysResult<Void>> detach(int pid, IntBinaryOperator beforeDetach) {
        TracedProcess p = table.procs.get(pid);
        if (p == null) {
            return CompletableFuture.completedFuture(SysResult.err(Errno.ESRCH, "detach " + pid + ": not traced"));
        }
        if (p.prelude) {
            return CompletableFuture.completedFuture(SysResult.err(Errno.EBUSY, "detach " + pid + ": still launching"));
        }
        CompletableFuture<SysResult<Void>> done = new CompletableFuture<>();
        allStop.request(p, false, (r, result) -> {
            if (!result.isOk()) {
                done.complete(result.castErr());
                return;
            }
            SysResult<Void> outcome = SysResult.ok();
            for (int tid : List.copyOf(p.tids)) {
                TracedThread t = table.threads.get(tid);
                int signal = t != null && t.lastStop instanceof TraceEvent.SignalStop s ? s.signal() : 0;
                if (beforeDetach != null) {
                    try {
                        signal = beforeDetach.applyAsInt(tid, signal);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "before-detach action failed for " + tid, e);
                    }
                }
                SysResult<Void> d = ptrace.detach(tid, signal);
                if (!d.isOk() && !d.failedWith(Errno.ESRCH)) {
                    outcome = d;
                }
                table.removeTid(tid);
            }
            // The held-back stops belonged to threads that are no longer ours; their ends are still news.
            r.deferred.removeIf(ev -> ev.pid() == pid && ev.isStop());
            if (p.ourChild) {
                table.detachedChildren.add(pid);
            }
            table.procs.remove(pid, p);
            done.complete(outcome);
        });
        return done;
    }

    /** Sends SIGKILL to {@code pid} and resumes its stopped threads; its later stops are resumed as they come. */
    SysResult<Void> kill(int pid) {
        TracedProcess p = table.procs.get(pid);
        if (p == null) {
            return SysResult.err(Errno.ESRCH, "kill " + pid + ": not traced");
        }
        p.killed = true;
        SysResult<Void> r = Posix.kill(pid, Signals.SIGKILL);
        if (r.isOk()) {
            // A thread sitting in a ptrace-stop dies too (SIGKILL wakes it); resume it anyway so that nothing
            // depends on that.
            for (int tid : List.copyOf(p.tids)) {
                TracedThread t = table.threads.get(tid);
                if (t != null && t.stopped) {
                    ptrace.cont(tid, 0);
                }
            }
        }
        return r;
    }

    /**
     * Sets whether {@code pid} is killed (true) or detached (false) on close, and PTRACE_O_EXITKILL to match. Linux
     * takes PTRACE_SETOPTIONS only from a stopped thread, and each thread has its own options: stopped threads get the
     * new ones now, running ones at their next stop.
     */
    SysResult<Void> setKillOnClose(int pid, boolean kill) {
        TracedProcess p = table.procs.get(pid);
        if (p == null) {
            return SysResult.err(Errno.ESRCH, "setKillOnClose " + pid + ": not traced");
        }
        p.killOnClose = kill;
        long options = kill ? p.ptraceOptions | PtraceConstants.PTRACE_O_EXITKILL
                : p.ptraceOptions & ~PtraceConstants.PTRACE_O_EXITKILL;
        if (options != p.ptraceOptions) {
            p.ptraceOptions = options;
            p.optionsChanged = true;
            for (int tid : p.tids) {
                TracedThread t = table.threads.get(tid);
                if (t != null && t.stopped && ptrace.setOptions(tid, options).isOk()) {
                    t.options = options;
                }
            }
        }
        return SysResult.ok();
    }
}
