package dev.debugport.linux.platform;

import dev.debugport.linux.ptrace.Signals;
import dev.debugport.linux.ptrace.UserRegs;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Lets a traced process go (DebugActiveProcessStop, or a process that is not to be debugged), leaving it as it was. */
final class ProcessDetacher extends PlatformPart {
    ProcessDetacher(Shared shared) {
        super(shared);
    }

    /**
     * Stops the process, takes out the r_brk breakpoint, puts back the debug registers the debugger changed, and
     * PTRACE_DETACHes every thread, delivering the signal a thread was stopped with unless its event was handled.
     */
    CompletableFuture<Void> detachProcess(LinuxProcess lp) {
        lp.state = LinuxProcess.State.DETACHING;
        lp.quiesces.clear();
        lp.quiesceHolds = 0;
        Map<Long, Byte> planted = lp.memory.planted();
        lp.memory.removeAll();
        return tracer.detach(lp.pid, (tid, defaultSignal) -> {
            LinuxThread t = lp.threads.get(tid);
            if (t != null) {
                registers.restoreDebugRegisters(t);
                registers.flushRegs(t, t.regs);
            }
            // A thread stopped on the r_brk int3 (perhaps not even reported yet): its original instruction is back,
            // so it re-executes it, and the trap is not delivered.
            UserRegs regs = pt.getRegs(tid).orElse(null);
            if (regs != null && planted.containsKey(regs.rip() - 1)
                    && (defaultSignal == Signals.SIGTRAP || (t != null && t.stopped && t.pendingSignal == 0))) {
                pt.setRegs(tid, regs.withRip(regs.rip() - 1));
                return 0;
            }
            if (t == null) {
                return defaultSignal;
            }
            return t.stopped ? t.pendingSignal : defaultSignal;
        }).handle((r, x) -> {
            calls.run(() -> {
                if (lp.state == LinuxProcess.State.DETACHING) {
                    lp.state = LinuxProcess.State.UNTRACED;
                }
                for (LinuxThread t : lp.threads.values()) {
                    t.stopped = false;
                    t.regs = null;
                    t.runStopWaiters();
                }
                lp.threads.clear();
                lp.modules.clear();
                lp.wantInitialBreak = false;
                lp.killIssued = false;
                lp.fatalDispatches = 0;
            });
            return null;
        });
    }
}
