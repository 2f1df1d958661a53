package dev.debugport.debugger.session;

import dev.debugport.debugger.Output;
import dev.debugport.debugger.breakpoints.BreakpointTable;
import dev.debugport.debugger.events.EventFilterTable;
import dev.debugport.debugger.target.Target;
import dev.debugport.debugger.target.TargetAnalysis;
import dev.debugport.debugger.target.TargetMemory;
import dev.debugport.debugger.target.TargetThread;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.UserPointer;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.NtStatus;
import dev.debugport.win32.Kernel32;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The debugger engine over the Win32 debug API (one debugger thread, one debug object): the debuggee processes and
 * their threads, the event loop (WaitForDebugEvent / ContinueDebugEvent) with cdb's break-or-continue decision for
 * every event, breakpoints (int3 bytes planted before the target runs, kept while it is stopped, and hidden from
 * memory reads by {@link TargetMemory}; the instruction under a breakpoint is executed with a single step and the
 * breakpoint put back: restore-step-reinsert), hardware breakpoints through DR0-DR3/DR7 of every thread, single
 * steps through the trap flag, and the event filters of sx.
 *
 * <p>It keeps the loop's state (the pending event, the step plan) and delegates: {@link Targets} holds the debuggees,
 * {@link DebugEventWaiter} waits with break-in requests, {@link EventDecider} decides each event, and
 * {@link ResumePreparation} readies the debuggees before each continue.
 *
 * <p>Only the debugger thread may call it; {@link #requestBreak} is the one method for other threads (Ctrl-C).
 */
public final class DebugSession {
    private final Kernel32 k32;
    private final NtQueries queries;
    private final TargetAnalysis analysis;
    private final Output out;
    private final BreakpointTable breakpoints = new BreakpointTable();
    private final EventFilterTable filters = new EventFilterTable();
    private final Targets targets;
    private final BreakInRequest breakIn;
    private final DebugEventWaiter waiter;
    private final EventDecider decider;
    private final ResumePreparation resume;
    private PendingEvent pending;
    private StepPlan plan;

    /**
     * @param controlCReachesTarget the debuggee shares the debugger's terminal (run), so a Ctrl-C reaches it as its
     *                              own DBG_CONTROL_C first; a break-in is issued only if that does not come
     */
    public DebugSession(Kernel kernel, Kernel32 k32, TargetAnalysis analysis, Output out, boolean controlCReachesTarget) {
        this.k32 = k32;
        this.queries = new NtQueries(kernel, k32.thread());
        this.analysis = analysis;
        this.out = out;
        this.targets = new Targets(k32, analysis, breakpoints);
        this.breakIn = new BreakInRequest(controlCReachesTarget);
        this.waiter = new DebugEventWaiter(k32, out, targets, breakIn);
        this.decider = new EventDecider(k32, out, targets, breakpoints, filters,
                new ExceptionDecider(k32, out, breakpoints, filters, breakIn));
        this.resume = new ResumePreparation(k32, out, targets, breakpoints);
    }

    public Kernel32 kernel32() {
        return k32;
    }

    /** The ntdll information calls, made from the debugger's thread. */
    public NtQueries queries() {
        return queries;
    }

    public TargetAnalysis analysis() {
        return analysis;
    }

    public BreakpointTable breakpoints() {
        return breakpoints;
    }

    public EventFilterTable filters() {
        return filters;
    }

    public List<Target> targets() {
        return List.copyOf(targets.all());
    }

    public Optional<Target> currentTarget() {
        return Optional.ofNullable(targets.current());
    }

    public Optional<TargetThread> currentThread() {
        return Optional.ofNullable(targets.currentThread());
    }

    /** Whether a debuggee is stopped at an event (commands that read threads need one). */
    public boolean isStopped() {
        return pending != null;
    }

    /** The thread whose event is pending (cdb's {@code #} in ~), if any. */
    public Optional<TargetThread> eventThread() {
        if (pending == null) {
            return Optional.empty();
        }
        return targetById(pending.pid()).flatMap(t -> t.thread(pending.tid()));
    }

    /** ~Ns / |Ns: makes a thread (and its process) the current one. */
    public void select(Target target, TargetThread thread) {
        targets.select(target, thread);
    }

    /** A process launched (CreateProcess) or attached (DebugActiveProcess) whose CREATE_PROCESS is still to come. */
    public void expectTarget() {
        targets.expect();
    }

    /** Whether there is anything to run: a debuggee, or one whose first event is expected. */
    public boolean hasTargets() {
        return targets.any();
    }

    // ---- execution

    /** Waits for the first stop of a session (the initial breakpoint, or the attach break-in). */
    public Stop start() {
        return run(NtStatus.DBG_CONTINUE);
    }

    /** g / gH / gN: continues the pending event with {@code status} (null: the event's default) and runs. */
    public Stop go(NtStatus status) {
        return run(status);
    }

    /** t: one instruction of the current thread. */
    public Stop stepInto() {
        TargetThread thread = targets.currentThread();
        Optional<Amd64Context> ctx = thread == null ? Optional.empty() : thread.context(k32);
        if (ctx.isEmpty()) {
            return run(null);
        }
        thread.setTrap(TargetThread.Trap.USER_STEP);
        thread.setContext(k32, ctx.get().withTrapFlag(true));
        plan = new StepPlan(targets.current(), thread, 0, 0, false);
        return run(null);
    }

    /**
     * Runs the current thread until it reaches {@code address} with its stack pointer at {@code minSp} or above (p over
     * a call: the return address with the caller's stack; gu: the return address with a higher stack).
     */
    public Stop runTo(long address, long minSp) {
        plan = new StepPlan(targets.current(), targets.currentThread(), address, minSp, true);
        return run(null);
    }

    /** Asks a running target to break in (Ctrl-C); safe from any thread. */
    public void requestBreak() {
        breakIn.request();
    }

    private Stop run(NtStatus status) {
        if (pending == null && !hasTargets()) {
            plan = null;
            return Stop.of(Stop.Kind.NO_TARGETS);
        }
        if (pending != null) {
            continuePending(status != null ? status : pending.defaultStatus());
        }
        UserPointer<DebugEvent> slot = UserPointer.empty();
        while (true) {
            DebugEvent e = waiter.next(slot);
            if (e == null) {
                plan = null;
                return Stop.of(Stop.Kind.NO_TARGETS);
            }
            Decision d = decider.decide(e, plan);
            pending = new PendingEvent(e.processId(), e.threadId(), d.status());
            if (d.stop() == null) {
                continuePending(d.status());
                continue;
            }
            if (d.stop().kind() == Stop.Kind.NO_TARGETS || d.stop().kind() == Stop.Kind.RUNNING_OTHERS) {
                continuePending(d.status());
                plan = null;
                return d.stop();
            }
            stopHere(e);
            return d.stop();
        }
    }

    /** The target stops at event {@code e}: the event thread current, the step plan over (its int3 goes at the next resume). */
    private void stopHere(DebugEvent e) {
        breakIn.clear();
        plan = null;
        Optional<Target> t = targetById(e.processId());
        if (t.isPresent()) {
            targets.select(t.get(), t.get().thread(e.threadId()).orElseGet(() -> t.get().threads().stream().findFirst().orElse(null)));
        }
    }

    /**
     * Continues the pending event: the event thread steps off a breakpoint it sits on (trap flag, that breakpoint left
     * out), breakpoints go in, debug registers are brought up to date, then ContinueDebugEvent.
     */
    private void continuePending(NtStatus status) {
        PendingEvent p = pending;
        pending = null;
        resume.prepare(p, plan);
        if (!k32.continueDebugEvent(p.pid(), p.tid(), status)) {
            out.println("ContinueDebugEvent failed with Win32 error " + k32.getLastError());
        }
    }

    // ---- process control

    /**
     * .detach: takes the int3 bytes and the hardware breakpoints out, continues the pending event of {@code target}
     * with {@code status} (handled or not), and DebugActiveProcessStop.
     *
     * @return null on success, else the reason
     */
    public String detach(Target target, NtStatus status) {
        breakpoints.removeTarget(target);
        target.memory().removeAllBut(Set.of());
        resume.syncDebugRegisters(target);
        if (pending != null && pending.pid() == target.id()) {
            continuePending(status);
        }
        boolean ok = k32.debugActiveProcessStop(target.id());
        int error = k32.getLastError();
        targets.forget(target);
        return ok ? null : "DebugActiveProcessStop failed with Win32 error " + error;
    }

    /** .kill: TerminateProcess and run until its EXIT_PROCESS (events of other processes may stop first). */
    public Stop kill(Target target) {
        if (!k32.terminateProcess(target.handle(), 1)) {
            out.println("TerminateProcess failed with Win32 error " + k32.getLastError());
        }
        decider.killing(target);
        breakpoints.removeTarget(target);
        return run(NtStatus.DBG_CONTINUE);
    }

    /**
     * q: terminates every debuggee and lets their events through without stopping until every one has exited; a
     * process whose CREATE_PROCESS arrives meanwhile (a .create not yet run to) is terminated as it is reported.
     */
    public void terminateAll() {
        decider.quitting();
        for (Target t : targets.all()) {
            k32.terminateProcess(t.handle(), 1);
            breakpoints.removeTarget(t);
        }
        run(NtStatus.DBG_CONTINUE);
    }

    /** qd: detaches from every debuggee. */
    public void detachAll() {
        for (Target t : List.copyOf(targets.all())) {
            String failure = detach(t, NtStatus.DBG_CONTINUE);
            if (failure != null) {
                out.println(failure);
            }
        }
    }

    // ---- helpers

    public Optional<Target> targetById(int pid) {
        return targets.byId(pid);
    }
}
