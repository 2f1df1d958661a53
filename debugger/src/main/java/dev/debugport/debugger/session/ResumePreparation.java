package dev.debugport.debugger.session;

import dev.debugport.debugger.Output;
import dev.debugport.debugger.breakpoints.Breakpoint;
import dev.debugport.debugger.breakpoints.BreakpointTable;
import dev.debugport.debugger.breakpoints.DebugRegisters;
import dev.debugport.debugger.format.Hex;
import dev.debugport.debugger.target.Target;
import dev.debugport.debugger.target.TargetMemory;
import dev.debugport.debugger.target.TargetThread;
import dev.debugport.nt.Amd64Context;
import dev.debugport.win32.Kernel32;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Readies the debuggees to run before ContinueDebugEvent: the event thread steps off a breakpoint it sits on, the
 * int3 bytes and the debug registers are brought in line with the breakpoints and the step plan, and the contexts
 * read while stopped are forgotten (the threads change them once they run).
 */
final class ResumePreparation {
    private final Kernel32 k32;
    private final Output out;
    private final Targets targets;
    private final BreakpointTable breakpoints;

    ResumePreparation(Kernel32 k32, Output out, Targets targets, BreakpointTable breakpoints) {
        this.k32 = k32;
        this.out = out;
        this.targets = targets;
        this.breakpoints = breakpoints;
    }

    /**
     * Before the pending event is continued: the event thread steps off a breakpoint it sits on (trap flag, that
     * breakpoint left out), breakpoints go in, debug registers are brought up to date.
     */
    void prepare(PendingEvent p, StepPlan plan) {
        Set<Long> excluded = new HashSet<>();
        Target target = targets.byId(p.pid()).orElse(null);
        if (target != null) {
            target.thread(p.tid()).ifPresent(thread -> stepOffBreakpoint(target, thread, excluded, plan));
        }
        for (Target t : targets.all()) {
            syncSoftwareBreakpoints(t, t == target ? excluded : Set.of(), plan);
            syncDebugRegisters(t);
        }
        for (Target t : targets.all()) {
            t.threads().forEach(TargetThread::forgetContext);
        }
    }

    /**
     * If the thread's next instruction is under an enabled breakpoint: a software one is left out for one single step
     * (the single step puts it back); an execute hardware one is passed with the resume flag (EFLAGS.RF).
     */
    private void stepOffBreakpoint(Target target, TargetThread thread, Set<Long> excluded, StepPlan plan) {
        Optional<Amd64Context> ctx = thread.context(k32);
        if (ctx.isEmpty()) {
            return;
        }
        long rip = ctx.get().rip();
        Amd64Context c = ctx.get();
        if (isSoftwareBreakpointAddress(target, rip, plan)) {
            excluded.add(rip);
            if (thread.trap() != TargetThread.Trap.USER_STEP) {
                thread.setTrap(TargetThread.Trap.STEP_OFF_BREAKPOINT);
            }
            c = c.withTrapFlag(true);
        }
        if (!breakpoints.armedAt(target, rip, Breakpoint.Kind.HARDWARE).isEmpty()) {
            c = c.withResumeFlag(true);
        }
        if (!c.equals(ctx.get())) {
            thread.setContext(k32, c);
        }
    }

    private boolean isSoftwareBreakpointAddress(Target target, long address, StepPlan plan) {
        return breakpoints.softwareAddresses(target).contains(address)
                || (plan != null && plan.runTo() && plan.target() == target && plan.address() == address);
    }

    /**
     * Plants or takes out int3 bytes so that exactly the wanted ones are in before the target runs: every enabled
     * software breakpoint and the step plan's, except {@code excluded} (the one a thread steps off). They stay in
     * while the target is stopped; reads through {@link TargetMemory} show the program's bytes.
     */
    private void syncSoftwareBreakpoints(Target target, Set<Long> excluded, StepPlan plan) {
        Set<Long> wanted = new HashSet<>(breakpoints.softwareAddresses(target));
        if (plan != null && plan.runTo() && plan.target() == target) {
            wanted.add(plan.address());
        }
        wanted.removeAll(excluded);
        TargetMemory memory = target.memory();
        memory.removeAllBut(wanted);
        for (long address : wanted) {
            if (!memory.plant(address)) {
                out.println("Unable to insert breakpoint at " + Hex.pointer(address) + " (memory cannot be written); it stays out");
                breakpoints.armedAt(target, address, Breakpoint.Kind.SOFTWARE).forEach(b -> b.setEnabled(false));
            }
        }
    }

    /** Brings DR0-DR3/DR7 of every thread of {@code target} in line with its hardware breakpoints. */
    void syncDebugRegisters(Target target) {
        long[] wanted = DebugRegisters.encode(breakpoints.hardware(target));
        for (TargetThread thread : target.threads()) {
            if (thread.hasDebugRegisters(wanted)) {
                continue;
            }
            Optional<Amd64Context> ctx = thread.context(k32);
            if (ctx.isPresent() && thread.setContext(k32, DebugRegisters.apply(ctx.get(), wanted))) {
                thread.rememberDebugRegisters(wanted);
            }
        }
    }
}
