package dev.debugport.linux.platform;

import dev.debugport.kernel.ki.ExceptionDispatcher;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.SigInfo;
import dev.debugport.linux.ptrace.Signals;
import dev.debugport.linux.ptrace.UserRegs;
import dev.debugport.linux.tracer.TraceEvent;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.NtStatus;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Turns a debuggee's signals into NT exceptions: decodes a signal-delivery-stop into an EXCEPTION_RECORD and runs
 * KiDispatchException for it (first chance, the program's handlers, second chance), then delivers, drops or lets
 * the signal kill as the outcome says. Tracer thread only.
 */
final class SignalDispatch extends PlatformPart {
    private static final System.Logger LOG = System.getLogger(LinuxPlatform.class.getName());

    private final RunControl runControl;
    /** Handles a stop on the r_brk breakpoint ({@link LoaderModules#onLoaderBreakpoint}). */
    private final Consumer<LinuxThread> loaderBreakpoint;

    SignalDispatch(Shared shared, RunControl runControl, Consumer<LinuxThread> loaderBreakpoint) {
        super(shared);
        this.runControl = runControl;
        this.loaderBreakpoint = loaderBreakpoint;
    }

    /** A signal-delivery-stop: the r_brk breakpoint, a silent signal, or an exception for KiDispatchException. */
    void onSignal(LinuxThread t, TraceEvent.SignalStop s) {
        LinuxProcess lp = t.proc;
        int signal = s.signal();
        if (SignalMapping.isSilent(signal)) {
            t.pendingSignal = signal;
            runControl.settle(t);
            return;
        }
        UserRegs regs = registers.regsOf(t);
        if (regs == null) {
            runControl.settle(t);
            return;
        }
        if (signal == Signals.SIGTRAP && s.info().code() == Signals.SI_KERNEL && lp.memory.isPlanted(regs.rip() - 1)) {
            loaderBreakpoint.accept(t);
            return;
        }
        if (signal == Signals.SIGTRAP && s.info().code() == Signals.TRAP_TRACE && (regs.eflags() & UserRegs.EFLAGS_TF) != 0) {
            // Windows clears the trap flag when it reports the single step; Linux leaves a TF the tracer set.
            UserRegs cleared = regs.withEflags(regs.eflags() & ~UserRegs.EFLAGS_TF);
            if (pt.setRegs(t.tid, cleared).isOk()) {
                ThreadRegisters.noteRegs(t, cleared);
                regs = cleared;
            }
        }
        if (signal == Signals.SIGTRAP && s.info().code() == Signals.TRAP_HWBKPT) {
            registers.debugRegisters(t)[6] = pt.getDebugReg(t.tid, 6).orElse(t.dr[6]);
        }
        UserRegs at = regs;
        ExceptionRecord record = SignalMapping.record(signal, s.info(), new SignalMapping.Context() {
            @Override
            public long rip() {
                return at.rip();
            }

            @Override
            public long rsp() {
                return at.rsp();
            }

            @Override
            public long rdi() {
                return at.rdi();
            }

            @Override
            public byte[] code() {
                byte[] b = new byte[15];
                int n = lp.memory.read(at.rip(), b, 0, b.length);
                return java.util.Arrays.copyOf(b, n);
            }

            @Override
            public ProcMaps.Mapping mappingAt(long address) {
                return ProcMaps.find(lp.pid, address).orElse(null);
            }
        });
        t.pendingSignal = signal; // what a detach delivers until the dispatch decides
        t.holds++;
        runControl.quiesceThen(lp, t, () -> dispatch(t, record, signal, s.info(), false));
    }

    /** A break-in (DebugBreakProcess): STATUS_BREAKPOINT where the thread stopped. */
    void raiseBreakIn(LinuxThread t) {
        UserRegs regs = registers.regsOf(t);
        if (regs == null) {
            return;
        }
        t.holds++;
        ExceptionRecord record = ExceptionRecord.of(NtStatus.STATUS_BREAKPOINT.value(), regs.rip());
        runControl.quiesceThen(t.proc, t, () -> dispatch(t, record, 0, null, true));
    }

    /**
     * KiDispatchException for a thread held at a stop (the caller took a hold; the dispatch releases it): first
     * chance to the debugger; "the program's handlers" are the signal's delivery (a handler installed, the signal
     * ignored, or a default action that does not kill); otherwise second chance, and if that is not handled either,
     * the kernel terminates the process with the exception code and the process dies of its own signal.
     *
     * @param synthetic a break-in or the loader breakpoint: nothing to deliver, never fatal (a catch-all handler)
     * @return completes once the thread's disposition is decided (the hold released)
     */
    CompletableFuture<Void> dispatch(LinuxThread t, ExceptionRecord record, int signal, SigInfo info, boolean synthetic) {
        LinuxProcess lp = t.proc;
        CompletableFuture<Void> done = new CompletableFuture<>();
        ExceptionDispatcher.UserHandlers handlers = r -> {
            boolean handled;
            if (synthetic) {
                handled = true;
                t.pendingSignal = 0;
            } else if (programHandles(t, signal, info)) {
                handled = true;
                t.pendingSignal = signal;
            } else {
                handled = false;
                t.fatalSignal = signal;
                lp.fatalDispatches++;
            }
            return CompletableFuture.completedFuture(handled);
        };
        CompletionStage<ExceptionDispatcher.Outcome> outcome;
        try {
            outcome = kernel.get().exceptionDispatcher().dispatch(t.ethread, record, handlers);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((o, x) -> calls.run(() -> {
            finishDispatch(t, o, x, synthetic);
            done.complete(null);
        }));
        return done;
    }

    private void finishDispatch(LinuxThread t, ExceptionDispatcher.Outcome outcome, Throwable failure, boolean synthetic) {
        LinuxProcess lp = t.proc;
        int fatal = t.fatalSignal;
        t.fatalSignal = 0;
        if (fatal != 0) {
            lp.fatalDispatches--;
        }
        t.holds--;
        if (failure != null) {
            LOG.log(System.Logger.Level.WARNING, "exception dispatch failed for " + t, failure);
        } else {
            switch (outcome) {
                case HANDLED_BY_KERNEL_DEBUGGER, HANDLED_BY_DEBUGGER_FIRST_CHANCE, HANDLED_BY_DEBUGGER_SECOND_CHANCE -> t.pendingSignal = 0;
                case HANDLED_BY_PROGRAM -> {
                    if (synthetic) {
                        t.pendingSignal = 0;
                    }
                }
                case TERMINATED -> {
                    if (fatal != 0 && !t.gone && t.stopped && !lp.killIssued && lp.state == LinuxProcess.State.BOUND) {
                        // The kernel terminated the process with the exception code; the process dies of its signal.
                        lp.killIssued = true;
                        t.regs = null;
                        t.stopped = false;
                        pt.cont(t.tid, fatal);
                        return;
                    }
                }
            }
        }
        runControl.settle(t);
        if (fatal != 0) {
            runControl.settleAll(lp);
        }
    }

    /** Whether delivering {@code signal} reaches the program without ending it (the "program's handlers"). */
    private static boolean programHandles(LinuxThread t, int signal, SigInfo info) {
        long bit = Signals.maskBit(signal);
        // The thread's status carries its own blocked mask and the process-wide handler masks: one read for all three.
        Map<String, String> status = Procfs.status(t.tid).orElse(Map.of());
        boolean caught = (Procfs.signalMask(status, "SigCgt") & bit) != 0;
        boolean ignored = (Procfs.signalMask(status, "SigIgn") & bit) != 0;
        if (info != null && SignalMapping.isSynchronousFault(signal, info)) {
            boolean blocked = (Procfs.signalMask(status, "SigBlk") & bit) != 0;
            return caught && !ignored && !blocked;
        }
        return caught || ignored || !SignalMapping.defaultTerminates(signal);
    }
}
