package dev.debugport.linux.platform;

import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.linux.ptrace.WaitStatus;
import dev.debugport.linux.tracer.TraceEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;

/**
 * Threads and processes ending: PTRACE_EVENT_EXIT and reaped threads become PspExitThread calls (EXIT_THREAD, and
 * EXIT_PROCESS with the last thread), made off the tracer thread since they may wait; a reaped process is marked gone
 * and its Linux end kept.
 */
final class ThreadExits extends PlatformPart {
    private static final System.Logger LOG = System.getLogger(LinuxPlatform.class.getName());

    private final Map<Integer, WaitStatus> endings;
    private final ExecutorService offTracer;
    private final RunControl runControl;

    ThreadExits(Shared shared, Map<Integer, WaitStatus> endings, ExecutorService offTracer, RunControl runControl) {
        super(shared);
        this.endings = endings;
        this.offTracer = offTracer;
        this.runControl = runControl;
    }

    /** PTRACE_EVENT_EXIT: PspExitThread (EXIT_THREAD, or EXIT_PROCESS for the last thread); held until continued. */
    void onExitStop(LinuxThread t, TraceEvent.ExitStop x) {
        t.exiting = true;
        if (t.ethread == null) {
            runControl.resume(t);
            return;
        }
        if (t.exitReported) {
            runControl.settle(t);
            return;
        }
        t.holds++;
        reportExit(t, exitCode(x.exitStatus())).whenComplete((v, e) -> calls.run(() -> {
            t.holds--;
            runControl.settle(t);
        }));
    }

    void onGone(LinuxProcess lp, LinuxThread t, TraceEvent ev) {
        if (t != null) {
            t.gone = true;
            t.stopped = true;
            t.exiting = true;
            t.regs = null;
            lp.threads.remove(t.tid);
            t.runStopWaiters();
            reportExit(t, exitCode(endStatus(ev)));
        }
        if (ev.pid() == ev.tid()) {
            markGone(lp, ev);
        }
        runControl.checkQuiesce(lp);
    }

    /** The process is gone (reaped, or found dead): every thread object left exits, the process object with it. */
    void markGone(LinuxProcess lp, TraceEvent ev) {
        WaitStatus st = ev == null ? null : endStatus(ev);
        if (st != null) {
            endings.put(lp.pid, st);
        }
        lp.state = LinuxProcess.State.GONE;
        int code = exitCode(st);
        EProcess process = lp.eprocess;
        for (LinuxThread t : List.copyOf(lp.threads.values())) {
            t.gone = true;
            reportExit(t, code);
        }
        if (process != null) {
            for (EThread e : process.threads()) {
                if (!e.hasExited() && !(e.platformData() instanceof LinuxThread lt && lt.exitReported && lt.proc == lp)) {
                    exitAsync(e, code);
                }
            }
        }
        lp.threads.clear();
        processes.remove(lp.pid, lp);
    }

    /**
     * PspExitThread for {@code t}'s thread object, once: nothing when it has none or its exit was reported already.
     * Returns the exit's completion (complete at once when nothing was reported).
     */
    CompletableFuture<Void> reportExit(LinuxThread t, int code) {
        if (t.ethread == null || t.exitReported) {
            return CompletableFuture.completedFuture(null);
        }
        t.exitReported = true;
        return exitAsync(t.ethread, code);
    }

    CompletableFuture<Void> exitAsync(EThread e, int code) {
        return CompletableFuture.supplyAsync(() -> kernel.get().processes().exitThread(e, code), offTracer)
                .thenCompose(CompletionStage::toCompletableFuture)
                .exceptionally(x -> {
                    LOG.log(System.Logger.Level.WARNING, "PspExitThread failed for " + e, x);
                    return null;
                });
    }

    /**
     * The NT exit code of a Linux end: the exit code, or 128 + signal for a thread killed by a signal; 0 for no end
     * (null) or another status.
     */
    private static int exitCode(WaitStatus st) {
        return switch (st) {
            case WaitStatus.Exited x -> x.code();
            case WaitStatus.Killed k -> 128 + k.signal();
            case null, default -> 0;
        };
    }

    /** The Linux end an Exited or Killed event reports, as waitpid gives it (null for any other event). */
    private static WaitStatus endStatus(TraceEvent ev) {
        return switch (ev) {
            case TraceEvent.Exited x -> WaitStatus.decode((x.code() & 0xFF) << 8);
            case TraceEvent.Killed k -> WaitStatus.decode(k.signal() | (k.coreDumped() ? 0x80 : 0));
            default -> null;
        };
    }
}
