package dev.debugport.kd.target;

import dev.debugport.kd.message.DbgkdWaitStateChange64;
import dev.debugport.kd.message.ExceptionRecord64;
import dev.debugport.kd.target.KdSendWaitContinue.ContinueResult;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.Platform;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.NtStatus;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The stops nobody's exception causes: KdPollBreakIn at the clock tick (KeUpdateSystemTime) noticing the host's
 * break-in byte, DbgBreakPointWithStatus(DBG_STATUS_CONTROL_C) on the thread "running on processor 0" (see
 * {@link KdEngine}, "The current thread"), and, after a stop the host ended with DbgKdRebootApi, the restart of KD with
 * the new boot's initial break.
 */
final class KdBreakIn {
    private static final System.Logger LOG = System.getLogger("dev.debugport.kd");
    /** How long a break-in waits for its thread to park (a thread in a wait never does). */
    static final Duration STILL_WAIT = Duration.ofMillis(50);

    private final Kernel kernel;
    private final Platform platform;
    private final KdTargetConfig config;
    private final KdFlags flags;
    private final KdTargetPort port;
    private final KdBreakpointTable breakpoints;
    private final KdDebuggerEntry entry;
    private final KdSendWaitContinue stateChanges;
    private final KdEngineThread engineThread;
    private final AtomicBoolean breakInQueued = new AtomicBoolean();

    KdBreakIn(Kernel kernel, KdTargetConfig config, KdFlags flags, KdTargetPort port, KdBreakpointTable breakpoints,
            KdDebuggerEntry entry, KdSendWaitContinue stateChanges, KdEngineThread engineThread) {
        this.kernel = kernel;
        this.platform = kernel.platform();
        this.config = config;
        this.flags = flags;
        this.port = port;
        this.breakpoints = breakpoints;
        this.entry = entry;
        this.stateChanges = stateChanges;
        this.engineThread = engineThread;
    }

    /** Implements KdPollBreakIn at the clock tick (KeUpdateSystemTime). Clock thread. */
    void poll() {
        if (engineThread.isClosed() || entry.inDebugger() || !flags.kdDebuggerEnabled() || breakInQueued.get()) {
            return;
        }
        if (port.consumeBreakIn() && breakInQueued.compareAndSet(false, true)) {
            engineThread.submit(() -> {
                breakInQueued.set(false);
                if (flags.kdDebuggerEnabled()) {
                    stop(null);
                }
                return null;
            }, null);
        }
    }

    /** The thread "running on processor 0" at a break-in (see {@link KdEngine}'s class comment), or null for idle. */
    private EThread currentThreadFor(EThread preferred) {
        if (preferred != null && !preferred.hasExited() && preferred.process().memory() != null) {
            return preferred;
        }
        EThread newest = null;
        for (EProcess p : kernel.clientIds().allProcesses()) {
            if (p.hasExited() || p.memory() == null || p.pid() == Kernel.SYSTEM_PID) {
                continue;
            }
            for (EThread t : p.threads()) {
                if (!t.hasExited() && (newest == null || t.tid() > newest.tid())) {
                    newest = t;
                }
            }
        }
        return newest;
    }

    /**
     * DbgBreakPointWithStatus(DBG_STATUS_CONTROL_C) and the KdpTrap / KdpReport it leads to, on {@code preferred} if it
     * can stop there. Engine thread.
     */
    void stop(EThread preferred) throws InterruptedException {
        EThread thread = currentThreadFor(preferred);
        KdStop stop = thread == null ? KdStop.idle(KdKernelLayout.DBG_BREAK_POINT_WITH_STATUS)
                : KdStop.of(thread, Amd64Context.zero());
        entry.enter(stop, true);
        ContinueResult result;
        try {
            if (thread != null) {
                if (thread != preferred) {
                    awaitStill(thread);
                }
                stop.context = platform.getContext(thread);
            }
            long pc = stop.pc();
            DbgkdWaitStateChange64 change = stateChanges.exceptionStateChange(stop,
                    ExceptionRecord64.of(NtStatus.STATUS_BREAKPOINT, pc, KdDebugService.BREAKPOINT_BREAK), true, pc);
            result = stateChanges.sendWaitContinue(stop, change);
            if (result == ContinueResult.SUCCESS && stop.thread != null && stop.contextChanged) {
                platform.setContext(stop.thread, stop.context);
            }
            if (result == ContinueResult.SUCCESS) {
                stateChanges.noteTrace(stop);
            }
        } finally {
            entry.exit();
        }
        afterStop(result);
    }

    /**
     * KeFreezeExecution waits until the other processors have stopped; here: until the thread the break-in stops on
     * has parked at a safe point, so that its registers stay as the host reads and edits them. A thread blocked in a
     * wait never parks but runs no code either: after {@link #STILL_WAIT} the engine takes it as it is.
     */
    private static void awaitStill(EThread thread) {
        long deadline = System.nanoTime() + STILL_WAIT.toNanos();
        while (!thread.runState().isParked() && !thread.hasExited() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    /** Work that follows a stop once the machine runs again: the reboot. Engine thread. */
    void afterStop(ContinueResult result) throws InterruptedException {
        if (result != ContinueResult.REBOOT) {
            return;
        }
        entry.freezeForMaintenance(breakpoints::removeAll);
        port.restartLink();
        Runnable handler = config.rebootHandler();
        if (handler != null) {
            try {
                handler.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "reboot handler failed", e);
            }
        }
        flags.setEntered(false);
        if (port.isConnected() && flags.kdDebuggerEnabled()) {
            stop(null); // the initial break of the new boot, sent with the boot id 0x80800800
        }
    }
}
