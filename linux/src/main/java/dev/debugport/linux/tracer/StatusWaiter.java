package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.Errno;
import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.SigInfo;
import dev.debugport.linux.ptrace.SysResult;
import dev.debugport.linux.ptrace.WaitStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The tracer's waiting: a {@code waitid(P_ALL, WEXITED | __WALL | __WNOTHREAD | WNOWAIT)} that peeks at the next
 * child or tracee with something to report, then {@code waitpid(thatPid, __WALL | __WNOTHREAD | WNOHANG)} that consumes
 * it, for a pid the tracer knows (or an auto-attached new tracee); the wake-up helper's statuses go to the
 * {@link WakeupHelper}, the others to the {@link EventRouter}. While a child that is not the tracer's blocks the peek,
 * it polls its own tracees one by one and backs off. See {@link Tracer} for why. Tracer thread only.
 */
final class StatusWaiter {
    /** {@code __WNOTHREAD}: wait only for this thread's children and tracees. */
    private static final int WNOTHREAD = 0x20000000;
    private static final int PEEK_FLAGS = Posix.WEXITED | Posix.WALL | WNOTHREAD | Posix.WNOWAIT;
    static final int CONSUME_FLAGS = Posix.WALL | WNOTHREAD | Posix.WNOHANG;
    static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final TraceTable table;
    private final WakeupHelper helper;
    private final EventRouter router;
    private final Runnable restartHelper;
    private long backoffNanos = MIN_BACKOFF_NANOS;

    /** {@code restartHelper} starts a new wake-up helper when the last one is gone (unless the tracer is closing). */
    StatusWaiter(TraceTable table, WakeupHelper helper, EventRouter router, Runnable restartHelper) {
        this.table = table;
        this.helper = helper;
        this.router = router;
        this.restartHelper = restartHelper;
    }

    /**
     * Peeks at the next reportable child or tracee and consumes its status.
     *
     * @return true if something was handled (or the wait was interrupted)
     */
    boolean waitOnce(boolean block) {
        SysResult<Optional<SigInfo>> peek = Posix.waitid(Posix.P_ALL, 0, PEEK_FLAGS | (block ? 0 : Posix.WNOHANG));
        if (peek instanceof SysResult.Err<Optional<SigInfo>> err) {
            if (err.errno().equals(Errno.EINTR)) {
                return true;
            }
            if (err.errno().equals(Errno.ECHILD) && helper.pid() <= 0) {
                restartHelper.run();
            }
            return false;
        }
        Optional<SigInfo> info = peek.orElseThrow();
        if (info.isEmpty()) {
            return false;
        }
        int pid = info.get().pid();
        if (pid == helper.pid() || table.threads.containsKey(pid) || table.detachedChildren.contains(pid)
                || adoptable(pid)) {
            backoffNanos = MIN_BACKOFF_NANOS;
            consume(pid);
            return true;
        }
        // A child that is not ours to reap blocks the peek: poll our own, then back off.
        boolean any = pollIndividually();
        if (!any) {
            LockSupport.parkNanos(backoffNanos);
            backoffNanos = Math.min(backoffNanos * 2, MAX_BACKOFF_NANOS);
        }
        return any;
    }

    private boolean pollIndividually() {
        boolean any = false;
        List<Integer> ours = new ArrayList<>(table.threads.keySet());
        ours.addAll(table.detachedChildren);
        if (helper.pid() > 0) {
            ours.add(helper.pid());
        }
        for (int pid : ours) {
            any |= consume(pid);
        }
        return any;
    }

    /**
     * An unknown pid visible to this thread: a new auto-attached tracee (its first stop came before its parent's
     * event). /proc's TracerPid is the tracer's <i>thread</i> id, so it names this thread exactly.
     */
    private boolean adoptable(int pid) {
        return table.tracedHere(pid)
                || Procfs.tgid(pid).orElse(pid) != pid; // a non-leader thread is visible only as our tracee
    }

    /** Consumes the pending status of {@code pid}, if it has one (true). */
    boolean consume(int pid) {
        while (true) {
            SysResult<Optional<Posix.Waited>> w = Posix.waitpid(pid, CONSUME_FLAGS);
            if (w.failedWith(Errno.EINTR)) {
                continue;
            }
            if (!(w instanceof SysResult.Ok<Optional<Posix.Waited>>(Optional<Posix.Waited> waited))
                    || waited.isEmpty()) {
                return false;
            }
            int tid = waited.get().pid();
            WaitStatus st = waited.get().status();
            if (tid != helper.pid()) {
                router.onStatus(tid, st);
            } else if (helper.onStatus(st)) {
                restartHelper.run();
            }
            return true;
        }
    }
}
