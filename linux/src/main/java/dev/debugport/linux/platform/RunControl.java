package dev.debugport.linux.platform;

import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessFlags;
import dev.debugport.linux.ptrace.UserRegs;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Makes each traced thread follow the kernel's run state and the platform's holds (settle), brings a process to an
 * all-stop before an event is reported (quiesce), and carries out NtTerminateProcess and NtTerminateThread. Tracer
 * thread only.
 */
final class RunControl extends PlatformPart {
    private static final System.Logger LOG = System.getLogger(LinuxPlatform.class.getName());
    private static final int SYS_EXIT = 60;

    /** Raises a pending break-in ({@link SignalDispatch#raiseBreakIn}), which settles the thread again once handled. */
    private final Consumer<LinuxThread> breakIn;

    RunControl(Shared shared, Consumer<LinuxThread> breakIn) {
        super(shared);
        this.breakIn = breakIn;
    }

    void settleAll(LinuxProcess lp) {
        for (LinuxThread t : List.copyOf(lp.threads.values())) {
            settle(t);
        }
    }

    /** Makes one thread follow its run state and holds: resume it if it may run, stop it if it must not. */
    void settle(LinuxThread t) {
        LinuxProcess lp = t.proc;
        EThread e = t.ethread;
        reportStopped(t); // a thread bound while stopped (new, exec'd, attached) is reported at its first settle
        if (t.gone || e == null || lp.state != LinuxProcess.State.BOUND || (lp.killIssued && !t.exiting)) {
            return;
        }
        if (!t.exiting && e.waiter().terminating()) {
            terminate(t);
            return;
        }
        boolean runnable = t.exiting || e.runState().runnable();
        // A process whose debug port went away is detached next (debugPortRemoved): a stopped thread waits for that
        // (it then runs untraced, instrumentation taken out), so that nothing of the debugger's is hit meanwhile.
        boolean detachComing = !t.exiting && !keepsTraced(e.process());
        boolean mayRun = runnable && t.holds == 0 && lp.quiesceHolds == 0 && !detachComing;
        if (mayRun && t.breakInPending && !t.exiting) {
            if (!t.stopped) {
                interrupt(t);
                return;
            }
            t.breakInPending = false;
            breakIn.accept(t);
            return;
        }
        if (mayRun) {
            if (t.stopped) {
                resume(t);
            }
        } else if (!t.stopped) {
            interrupt(t);
        }
    }

    /**
     * Tells the kernel whether the thread is in a ptrace-stop: there it executes nothing and its registers hold still,
     * which counts as parked (ThreadRunState), as a simulated thread blocked at a safe point does.
     */
    static void reportStopped(LinuxThread t) {
        EThread e = t.ethread;
        if (e != null) {
            e.runState().setStoppedByPlatform(t.stopped && !t.gone);
        }
    }

    /**
     * Whether the platform keeps tracing {@code process}: while it has a debug port, and on a machine whose kernel
     * debugger is available (KdPitchDebugger clear), which freezes every thread and sees every process's exceptions.
     */
    boolean keepsTraced(EProcess process) {
        return process.debugPort() != null || !kernel.get().kernelDebuggerState().kdPitchDebugger();
    }

    void resume(LinuxThread t) {
        int signal = t.pendingSignal;
        boolean listen = t.listen;
        t.pendingSignal = 0;
        t.listen = false;
        registers.flushRegs(t, t.takeRegs());
        t.stopped = false;
        t.interruptSent = false;
        reportStopped(t);
        if (listen) {
            pt.listen(t.tid);
        } else {
            pt.cont(t.tid, signal);
        }
    }

    void interrupt(LinuxThread t) {
        if (!t.interruptSent && pt.interrupt(t.tid).isOk()) {
            t.interruptSent = true;
        }
    }

    /**
     * A termination request: NtTerminateProcess kills the process (SIGKILL), unless a thread is about to die of its
     * own unhandled signal; NtTerminateThread makes the one thread call exit(2) once it is stopped and has no event
     * out (its registers are pointed at a {@code syscall} instruction of the process).
     */
    private void terminate(LinuxThread t) {
        LinuxProcess lp = t.proc;
        if (t.ethread.process().hasFlag(ProcessFlags.PROCESS_EXITING)) {
            if (lp.fatalDispatches > 0) {
                return;
            }
            killProcess(lp);
            return;
        }
        if (t.holds > 0) {
            return;
        }
        if (!t.stopped) {
            interrupt(t);
            return;
        }
        long syscall = images.syscallInstruction(lp);
        UserRegs regs = registers.regsOf(t);
        if (syscall <= 0 || regs == null) {
            LOG.log(System.Logger.Level.WARNING, "cannot terminate thread " + t + " alone: no syscall instruction found");
            return;
        }
        UserRegs exit = regs.with(UserRegs.Reg.RIP, syscall).with(UserRegs.Reg.RAX, SYS_EXIT)
                .with(UserRegs.Reg.RDI, t.ethread.exitStatus()).with(UserRegs.Reg.ORIG_RAX, -1);
        if (pt.setRegs(t.tid, exit).isOk()) {
            ThreadRegisters.noteRegs(t, exit);
            t.exiting = true;
            t.pendingSignal = 0;
            resume(t);
        }
    }

    void killProcess(LinuxProcess lp) {
        if (lp.killIssued) {
            return;
        }
        lp.killIssued = true;
        tracer.kill(lp.pid);
        for (LinuxThread t : lp.threads.values()) {
            t.stopped = false;
            t.regs = null;
        }
    }

    /** Runs {@code action} once every thread but {@code except} is stopped; meanwhile nothing of the process runs. */
    void quiesceThen(LinuxProcess lp, LinuxThread except, Runnable action) {
        if (othersStopped(lp, except)) {
            action.run();
            return;
        }
        lp.quiesceHolds++;
        lp.quiesces.add(new LinuxProcess.Quiesce(except, action));
        settleAll(lp);
    }

    void checkQuiesce(LinuxProcess lp) {
        if (lp.quiesces.isEmpty()) {
            return;
        }
        boolean ran = false;
        for (LinuxProcess.Quiesce q : List.copyOf(lp.quiesces)) {
            if (lp.quiesces.contains(q) && othersStopped(lp, q.except())) {
                lp.quiesces.remove(q);
                lp.quiesceHolds--;
                ran = true;
                q.action().run();
            }
        }
        if (ran) {
            settleAll(lp);
        }
    }

    private static boolean othersStopped(LinuxProcess lp, LinuxThread except) {
        for (LinuxThread t : lp.threads.values()) {
            if (t != except && !t.gone && !t.stopped) {
                return false;
            }
        }
        return true;
    }

    /** Runs {@code work} on the tracer once {@code t} is stopped (stopping it briefly if it runs); null if it ends. */
    <T> CompletableFuture<T> whenStopped(LinuxThread t, Supplier<T> work) {
        if (t.gone) {
            return CompletableFuture.completedFuture(null);
        }
        if (t.stopped) {
            return CompletableFuture.completedFuture(work.get());
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        t.holds++;
        t.stopWaiters.add(() -> {
            t.holds--;
            // The stop's own handling settles the thread afterwards.
            f.complete(t.gone ? null : work.get());
        });
        settle(t);
        return f;
    }
}
