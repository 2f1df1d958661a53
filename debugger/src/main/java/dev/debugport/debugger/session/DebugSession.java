package dev.debugport.debugger.session;

import dev.debugport.analysis.ModuleImage;
import dev.debugport.analysis.SymbolTable;
import dev.debugport.debugger.Output;
import dev.debugport.debugger.breakpoints.Breakpoint;
import dev.debugport.debugger.breakpoints.BreakpointTable;
import dev.debugport.debugger.breakpoints.DebugRegisters;
import dev.debugport.debugger.events.EventFilter;
import dev.debugport.debugger.events.EventFilterTable;
import dev.debugport.debugger.events.ExceptionNames;
import dev.debugport.debugger.format.Hex;
import dev.debugport.debugger.target.DebuggeeMemory;
import dev.debugport.debugger.target.Target;
import dev.debugport.debugger.target.TargetAnalysis;
import dev.debugport.debugger.target.TargetMemory;
import dev.debugport.debugger.target.TargetThread;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.UserPointer;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.win32.Kernel32;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The debugger engine over the Win32 debug API (one debugger thread, one debug object): the debuggee processes and
 * their threads, the event loop (WaitForDebugEvent / ContinueDebugEvent) with cdb's break-or-continue decision for
 * every event, breakpoints (int3 bytes planted before the target runs, kept while it is stopped, and hidden from
 * memory reads by {@link TargetMemory}; the instruction under a breakpoint is executed with a single step and the
 * breakpoint put back: restore-step-reinsert), hardware breakpoints through DR0-DR3/DR7 of every thread, single
 * steps through the trap flag, and the event filters of sx.
 *
 * <p>Only the debugger thread may call it; {@link #requestBreak} is the one method for other threads (Ctrl-C).
 */
public final class DebugSession {
    /** How long one WaitForDebugEvent waits before looking at a break-in request. */
    private static final int WAIT_SLICE_MS = 100;
    /** How long a Ctrl-C that reached the debuggee itself is given to show up as its DBG_CONTROL_C. */
    private static final long OWN_CONTROL_C_GRACE_NS = Duration.ofSeconds(1).toNanos();
    private static final long EFLAGS_RESUME_FLAG = 0x10000;

    private final Kernel32 k32;
    private final NtQueries queries;
    private final TargetAnalysis analysis;
    private final Output out;
    private final DebuggeeMemory images;
    private final List<Target> targets = new ArrayList<>();
    private final BreakpointTable breakpoints = new BreakpointTable();
    private final EventFilterTable filters = new EventFilterTable();
    private final AtomicLong breakRequestedAt = new AtomicLong();
    private final boolean controlCReachesTarget;
    private int nextTargetNumber;
    private int expectedTargets;
    private Pending pending;
    private Target current;
    private TargetThread currentThread;
    private Plan plan;
    private Target killing;
    /** q is ending the session: every debuggee, including one whose CREATE_PROCESS is still to come, is terminated. */
    private boolean quitting;
    private boolean breakInIssued;

    /** The event the debuggee waits on while the debugger is stopped, and how {@code g} continues it by default. */
    private record Pending(int pid, int tid, NtStatus defaultStatus) {
    }

    /**
     * A step in progress: single steps of {@code thread} (t), or running to {@code address} in it with its stack
     * pointer at least {@code minSp} (p over a call, gu).
     */
    private record Plan(Target target, TargetThread thread, long address, long minSp, boolean runTo) {
    }

    /**
     * @param controlCReachesTarget the debuggee shares the debugger's terminal (run), so a Ctrl-C reaches it as its
     *                              own DBG_CONTROL_C first; a break-in is issued only if that does not come
     */
    public DebugSession(Kernel kernel, Kernel32 k32, TargetAnalysis analysis, Output out, boolean controlCReachesTarget) {
        this.k32 = k32;
        this.queries = new NtQueries(kernel, k32.thread());
        this.analysis = analysis;
        this.out = out;
        this.images = new DebuggeeMemory(k32);
        this.controlCReachesTarget = controlCReachesTarget;
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
        return List.copyOf(targets);
    }

    public Optional<Target> currentTarget() {
        return Optional.ofNullable(current);
    }

    public Optional<TargetThread> currentThread() {
        return Optional.ofNullable(currentThread);
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
        current = target;
        currentThread = thread;
    }

    /** A process launched (CreateProcess) or attached (DebugActiveProcess) whose CREATE_PROCESS is still to come. */
    public void expectTarget() {
        expectedTargets++;
    }

    /** Whether there is anything to run: a debuggee, or one whose first event is expected. */
    public boolean hasTargets() {
        return !targets.isEmpty() || expectedTargets > 0;
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
        TargetThread thread = currentThread;
        Optional<Amd64Context> ctx = thread == null ? Optional.empty() : thread.context(k32);
        if (ctx.isEmpty()) {
            return run(null);
        }
        thread.setTrap(TargetThread.Trap.USER_STEP);
        thread.setContext(k32, ctx.get().withTrapFlag(true));
        plan = new Plan(current, thread, 0, 0, false);
        return run(null);
    }

    /**
     * Runs the current thread until it reaches {@code address} with its stack pointer at {@code minSp} or above (p over
     * a call: the return address with the caller's stack; gu: the return address with a higher stack).
     */
    public Stop runTo(long address, long minSp) {
        plan = new Plan(current, currentThread, address, minSp, true);
        return run(null);
    }

    /** Asks a running target to break in (Ctrl-C); safe from any thread. */
    public void requestBreak() {
        breakRequestedAt.compareAndSet(0, System.nanoTime());
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
            DebugEvent e = waitForEvent(slot);
            if (e == null) {
                plan = null;
                return Stop.of(Stop.Kind.NO_TARGETS);
            }
            Decision d = handle(e);
            pending = new Pending(e.processId(), e.threadId(), d.status());
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

    /** How to go on from one event: stop (with why), or continue with a status. */
    private record Decision(Stop stop, NtStatus status) {
        static Decision go(NtStatus status) {
            return new Decision(null, status);
        }

        static Decision stop(Stop stop, NtStatus status) {
            return new Decision(stop, status);
        }
    }

    /** WaitForDebugEventEx in slices, issuing a requested break-in between them; null if the wait cannot go on. */
    private DebugEvent waitForEvent(UserPointer<DebugEvent> slot) {
        while (true) {
            long requested = breakRequestedAt.get();
            if (requested != 0 && !breakInIssued
                    && (!controlCReachesTarget || System.nanoTime() - requested > OWN_CONTROL_C_GRACE_NS)) {
                issueBreakIn();
            }
            if (k32.waitForDebugEventEx(slot, WAIT_SLICE_MS)) {
                return slot.get();
            }
            int error = k32.getLastError();
            if (error != Win32Error.ERROR_SEM_TIMEOUT) {
                out.println("WaitForDebugEvent failed with Win32 error " + error);
                return null;
            }
            if (targets.isEmpty() && expectedTargets == 0) {
                return null;
            }
        }
    }

    /** DebugBreakProcess on the current process (or the first one). */
    private void issueBreakIn() {
        breakInIssued = true;
        Target t = current != null ? current : targets.isEmpty() ? null : targets.getFirst();
        if (t != null && !k32.debugBreakProcess(t.handle())) {
            out.println("Unable to break in: DebugBreakProcess failed with Win32 error " + k32.getLastError());
        }
    }

    /** The target stops at event {@code e}: the event thread current, the step plan over (its int3 goes at the next resume). */
    private void stopHere(DebugEvent e) {
        breakRequestedAt.set(0);
        plan = null;
        Optional<Target> t = targetById(e.processId());
        if (t.isPresent()) {
            current = t.get();
            currentThread = t.get().thread(e.threadId()).orElseGet(() -> t.get().threads().stream().findFirst().orElse(null));
        }
    }

    /**
     * Continues the pending event: the event thread steps off a breakpoint it sits on (trap flag, that breakpoint left
     * out), breakpoints go in, debug registers are brought up to date, then ContinueDebugEvent.
     */
    private void continuePending(NtStatus status) {
        Pending p = pending;
        pending = null;
        Set<Long> excluded = new HashSet<>();
        Target target = targetById(p.pid()).orElse(null);
        if (target != null) {
            target.thread(p.tid()).ifPresent(thread -> stepOffBreakpoint(target, thread, excluded));
        }
        for (Target t : targets) {
            syncSoftwareBreakpoints(t, t == target ? excluded : Set.of());
            syncDebugRegisters(t);
        }
        for (Target t : targets) {
            t.threads().forEach(TargetThread::forgetContext);
        }
        if (!k32.continueDebugEvent(p.pid(), p.tid(), status)) {
            out.println("ContinueDebugEvent failed with Win32 error " + k32.getLastError());
        }
    }

    /**
     * If the thread's next instruction is under an enabled breakpoint: a software one is left out for one single step
     * (the single step puts it back); an execute hardware one is passed with the resume flag (EFLAGS.RF).
     */
    private void stepOffBreakpoint(Target target, TargetThread thread, Set<Long> excluded) {
        Optional<Amd64Context> ctx = thread.context(k32);
        if (ctx.isEmpty()) {
            return;
        }
        long rip = ctx.get().rip();
        Amd64Context c = ctx.get();
        if (isSoftwareBreakpointAddress(target, rip)) {
            excluded.add(rip);
            if (thread.trap() != TargetThread.Trap.USER_STEP) {
                thread.setTrap(TargetThread.Trap.STEP_OFF_BREAKPOINT);
            }
            c = c.withTrapFlag(true);
        }
        if (!breakpoints.armedAt(target, rip, Breakpoint.Kind.HARDWARE).isEmpty()) {
            c = c.with(dev.debugport.nt.Amd64Register.EFLAGS, c.eflags() | EFLAGS_RESUME_FLAG);
        }
        if (!c.equals(ctx.get())) {
            thread.setContext(k32, c);
        }
    }

    private boolean isSoftwareBreakpointAddress(Target target, long address) {
        return breakpoints.softwareAddresses(target).contains(address)
                || (plan != null && plan.runTo() && plan.target() == target && plan.address() == address);
    }

    /**
     * Plants or takes out int3 bytes so that exactly the wanted ones are in before the target runs: every enabled
     * software breakpoint and the step plan's, except {@code excluded} (the one a thread steps off). They stay in
     * while the target is stopped; reads through {@link TargetMemory} show the program's bytes.
     */
    private void syncSoftwareBreakpoints(Target target, Set<Long> excluded) {
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
    private void syncDebugRegisters(Target target) {
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

    // ---- events

    private Decision handle(DebugEvent e) {
        Optional<Target> found = targetById(e.processId());
        if (found.isEmpty() && !(e.info() instanceof DebugEventInfo.CreateProcessDebugInfo)) {
            return Decision.go(e.info() instanceof DebugEventInfo.ExceptionDebugInfo
                    ? NtStatus.DBG_EXCEPTION_NOT_HANDLED : NtStatus.DBG_CONTINUE);
        }
        if ((quitting || (killing != null && found.orElse(null) == killing))
                && !(e.info() instanceof DebugEventInfo.ExitProcessDebugInfo)
                && !(e.info() instanceof DebugEventInfo.CreateProcessDebugInfo)) {
            return Decision.go(NtStatus.DBG_CONTINUE);
        }
        String who = "(" + Integer.toHexString(e.processId()) + "." + Integer.toHexString(e.threadId()) + "): ";
        return switch (e.info()) {
            case DebugEventInfo.CreateProcessDebugInfo cp -> createProcess(e, cp, who);
            case DebugEventInfo.CreateThreadDebugInfo ct -> {
                found.get().addThread(e.threadId(), ct.thread(), ct.threadLocalBase());
                yield event("ct", who + "Create thread " + Integer.toHexString(e.threadId()) + ", start "
                        + found.get().symbols().describe(ct.startAddress()));
            }
            case DebugEventInfo.ExitThreadDebugInfo et -> {
                found.get().removeThread(e.threadId());
                yield event("et", who + "Exit thread " + Integer.toHexString(e.threadId()) + ", code "
                        + Integer.toHexString(et.exitCode()));
            }
            case DebugEventInfo.ExitProcessDebugInfo ep -> exitProcess(found.get(), ep, who);
            case DebugEventInfo.LoadDllDebugInfo ld -> loadModule(found.get(), ld);
            case DebugEventInfo.UnloadDllDebugInfo ud -> {
                SymbolTable symbols = found.get().symbols();
                String name = symbols.moduleAt(ud.baseOfDll()).map(ModuleImage::path).orElse("?");
                symbols.moduleUnloaded(ud.baseOfDll());
                yield event("ud", "Unload module " + name + " at " + Hex.pointer(ud.baseOfDll()));
            }
            case DebugEventInfo.OutputDebugStringInfo ods -> {
                String text = images.readString(found.get().handle(), ods.debugStringData(), ods.debugStringLength(), ods.unicode());
                yield event("out", text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
            }
            case DebugEventInfo.RipInfo rip -> event("ser", who + "RIP error " + Integer.toHexString(rip.error()) + " type " + rip.type());
            case DebugEventInfo.ExceptionDebugInfo ex -> exception(found.get(), e.threadId(), ex, who);
        };
    }

    /** A non-exception event: printed unless ignored; breaks when its filter says so. */
    private Decision event(String filterName, String line) {
        EventFilter f = filters.event(filterName);
        if (f.breakState().prints()) {
            out.println(line);
        }
        if (f.breakState().breaksAt(true)) {
            return Decision.stop(new Stop(Stop.Kind.EVENT, f.command(), false), NtStatus.DBG_CONTINUE);
        }
        if (f.command() != null) {
            return Decision.stop(new Stop(Stop.Kind.EVENT, f.command(), true), NtStatus.DBG_CONTINUE);
        }
        return Decision.go(NtStatus.DBG_CONTINUE);
    }

    private Decision createProcess(DebugEvent e, DebugEventInfo.CreateProcessDebugInfo cp, String who) {
        TargetMemory memory = new TargetMemory(k32, cp.process());
        SymbolTable symbols = analysis.symbolsFor(memory);
        Target target = new Target(nextTargetNumber++, e.processId(), cp.process(), memory, symbols,
                analysis.stackWalkerFor(memory, symbols), analysis.disassembler());
        targets.add(target);
        expectedTargets = Math.max(0, expectedTargets - 1);
        TargetThread thread = target.addThread(e.threadId(), cp.thread(), cp.threadLocalBase());
        if (current == null) {
            select(target, thread);
        }
        String path = imageName(cp.process(), cp.imageName(), cp.unicode(), cp.file());
        ModuleImage image = ModuleImage.of(path, cp.baseOfImage(), cp.baseOfImage() + images.imageSize(cp.process(), cp.baseOfImage()));
        symbols.moduleLoaded(image);
        closeFile(cp.file());
        if (quitting) {
            k32.terminateProcess(cp.process(), 1); // created (.create) before q, reported after it
            return Decision.go(NtStatus.DBG_CONTINUE);
        }
        EventFilter f = filters.event("cpr");
        if (f.breakState().prints()) {
            out.println(who + "Create process " + path);
        }
        return moduleDecision(target, image, f);
    }

    private Decision loadModule(Target target, DebugEventInfo.LoadDllDebugInfo ld) {
        String path = imageName(target.handle(), ld.imageName(), ld.unicode(), ld.file());
        ModuleImage image = ModuleImage.of(path, ld.baseOfDll(), ld.baseOfDll() + images.imageSize(target.handle(), ld.baseOfDll()));
        target.symbols().moduleLoaded(image);
        closeFile(ld.file());
        return moduleDecision(target, image, filters.event("ld"));
    }

    /** ModLoad line, deferred breakpoints resolved against the new module, then the filter's decision. */
    private Decision moduleDecision(Target target, ModuleImage image, EventFilter processFilter) {
        EventFilter ld = filters.event("ld");
        if (ld.breakState().prints()) {
            out.println("ModLoad: " + Hex.pointer(image.base()) + " " + Hex.pointer(image.end()) + "   " + image.path());
        }
        breakpoints.resolveDeferred(target, expression -> target.symbols().resolve(expression));
        EventFilter f = processFilter.breakState().breaksAt(true) ? processFilter : ld;
        if (f.breakState().breaksAt(true)) {
            return Decision.stop(new Stop(Stop.Kind.EVENT, f.command(), false), NtStatus.DBG_CONTINUE);
        }
        return Decision.go(NtStatus.DBG_CONTINUE);
    }

    private Decision exitProcess(Target target, DebugEventInfo.ExitProcessDebugInfo ep, String who) {
        out.println(who + "Exit process " + Integer.toHexString(target.id()) + ", code " + Integer.toHexString(ep.exitCode()));
        boolean killed = target == killing;
        if (killed) {
            killing = null;
        }
        forget(target);
        if (targets.isEmpty() && expectedTargets == 0) {
            return Decision.stop(Stop.of(Stop.Kind.NO_TARGETS), NtStatus.DBG_CONTINUE);
        }
        if (quitting) {
            return Decision.go(NtStatus.DBG_CONTINUE);
        }
        if (killed) {
            return Decision.stop(Stop.of(Stop.Kind.RUNNING_OTHERS), NtStatus.DBG_CONTINUE);
        }
        EventFilter f = filters.event("epr");
        if (f.breakState().breaksAt(true)) {
            return Decision.stop(new Stop(Stop.Kind.EVENT, f.command(), false), NtStatus.DBG_CONTINUE);
        }
        return Decision.go(NtStatus.DBG_CONTINUE);
    }

    /** A process is gone (exited, detached): its breakpoints, bytes and threads are forgotten. */
    private void forget(Target target) {
        targets.remove(target);
        breakpoints.removeTarget(target);
        if (current == target) {
            current = targets.isEmpty() ? null : targets.getFirst();
            currentThread = current == null ? null : current.threads().stream().findFirst().orElse(null);
        }
    }

    private Decision exception(Target target, int tid, DebugEventInfo.ExceptionDebugInfo ex, String who) {
        ExceptionRecord record = ex.exceptionRecord();
        int code = record.code();
        TargetThread thread = target.thread(tid).orElse(null);
        if (thread != null && code == NtStatus.STATUS_BREAKPOINT.value() && ex.firstChance()) {
            Decision ours = ownBreakpoint(target, thread, record.address());
            if (ours != null) {
                return ours;
            }
            if (breakInIssued || breakRequestedAt.get() != 0) {
                breakInIssued = false;
                out.println(who + ExceptionNames.describe(code) + " - code " + String.format("%08x", code) + " (first chance)");
                return Decision.stop(Stop.of(Stop.Kind.BREAK_IN), NtStatus.DBG_CONTINUE);
            }
            if (target.takeInitialBreakpoint()) {
                return filtered(filters.event("ibp"), who, record, true, code);
            }
        }
        if (thread != null && code == NtStatus.STATUS_SINGLE_STEP.value() && ex.firstChance()) {
            Decision ours = ownSingleStep(target, thread);
            if (ours != null) {
                return ours;
            }
        }
        if (code == NtStatus.DBG_CONTROL_C.value()) {
            breakRequestedAt.set(0);
        }
        return filtered(filters.forException(code), who, record, ex.firstChance(), code);
    }

    /** A STATUS_BREAKPOINT at one of the int3 bytes the debugger wrote, or null if it is not ours. */
    private Decision ownBreakpoint(Target target, TargetThread thread, long address) {
        if (!target.memory().isPlanted(address)) {
            return null;
        }
        Optional<Amd64Context> ctx = thread.context(k32);
        if (ctx.isPresent() && ctx.get().rip() == address + 1) {
            thread.setContext(k32, ctx.get().withRip(address)); // back onto the instruction the int3 replaced
        }
        long rsp = ctx.map(Amd64Context::rsp).orElse(0L);
        if (plan != null && plan.runTo() && plan.thread() == thread && plan.address() == address
                && Long.compareUnsigned(rsp, plan.minSp()) >= 0) {
            return Decision.stop(Stop.of(Stop.Kind.STEP), NtStatus.DBG_CONTINUE);
        }
        return breakpointHits(breakpoints.armedAt(target, address, Breakpoint.Kind.SOFTWARE));
    }

    /** Counts a hit on each breakpoint; breaks (printing "Breakpoint N hit") if any has run its pass count down. */
    private Decision breakpointHits(List<Breakpoint> hits) {
        List<String> commands = new ArrayList<>();
        boolean breaks = false;
        for (Breakpoint b : hits) {
            if (b.countHit()) {
                breaks = true;
                out.println("Breakpoint " + b.id() + " hit");
                if (b.command() != null) {
                    commands.add(b.command());
                }
            }
        }
        if (!breaks) {
            return Decision.go(NtStatus.DBG_CONTINUE);
        }
        String joined = commands.isEmpty() ? null : String.join("; ", commands);
        return Decision.stop(new Stop(Stop.Kind.BREAKPOINT, joined, false), NtStatus.DBG_CONTINUE);
    }

    /** A STATUS_SINGLE_STEP the debugger caused (trap flag, debug register), or null if it is the program's. */
    private Decision ownSingleStep(Target target, TargetThread thread) {
        TargetThread.Trap trap = thread.trap();
        thread.setTrap(TargetThread.Trap.NONE);
        boolean userStep = plan != null && !plan.runTo() && plan.thread() == thread;
        if (trap != TargetThread.Trap.NONE) {
            // A step the user asked for ends here; a step off a breakpoint (or a step left over from an earlier
            // command that stopped elsewhere) goes on silently.
            return userStep ? Decision.stop(Stop.of(Stop.Kind.STEP), NtStatus.DBG_CONTINUE) : Decision.go(NtStatus.DBG_CONTINUE);
        }
        Optional<Amd64Context> ctx = thread.context(k32);
        int slot = ctx.map(DebugRegisters::firedSlot).orElse(-1);
        if (slot < 0) {
            return null;
        }
        Optional<Breakpoint> b = breakpoints.hardwareInSlot(target, slot);
        if (b.isEmpty() || !b.get().enabled()) {
            return Decision.go(NtStatus.DBG_CONTINUE);
        }
        return breakpointHits(List.of(b.get()));
    }

    /** An event the sx table decides: print, break, or go on; the handling status picks the continue status. */
    private Decision filtered(EventFilter f, String who, ExceptionRecord record, boolean firstChance, int code) {
        NtStatus status = f.handled() ? NtStatus.DBG_CONTINUE : NtStatus.DBG_EXCEPTION_NOT_HANDLED;
        String command = firstChance ? f.command() : f.secondChanceCommand();
        boolean breaks = f.breakState().breaksAt(firstChance);
        if (breaks || f.breakState().prints()) {
            out.println(who + ExceptionNames.describe(code) + " - code " + String.format("%08x", code)
                    + (firstChance ? " (first chance)" : " (!!! second chance !!!)"));
            if (breaks && firstChance && code != NtStatus.STATUS_BREAKPOINT.value() && code != NtStatus.STATUS_SINGLE_STEP.value()) {
                out.println("First chance exceptions are reported before any exception handling.");
                out.println("This exception may be expected and handled.");
            }
        }
        if (breaks) {
            return Decision.stop(new Stop(Stop.Kind.EXCEPTION, command, false), status);
        }
        if (command != null) {
            return Decision.stop(new Stop(Stop.Kind.EXCEPTION, command, true), status);
        }
        return Decision.go(status);
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
        syncDebugRegisters(target);
        if (pending != null && pending.pid() == target.id()) {
            continuePending(status);
        }
        boolean ok = k32.debugActiveProcessStop(target.id());
        int error = k32.getLastError();
        forget(target);
        return ok ? null : "DebugActiveProcessStop failed with Win32 error " + error;
    }

    /** .kill: TerminateProcess and run until its EXIT_PROCESS (events of other processes may stop first). */
    public Stop kill(Target target) {
        if (!k32.terminateProcess(target.handle(), 1)) {
            out.println("TerminateProcess failed with Win32 error " + k32.getLastError());
        }
        killing = target;
        breakpoints.removeTarget(target);
        return run(NtStatus.DBG_CONTINUE);
    }

    /**
     * q: terminates every debuggee and lets their events through without stopping until every one has exited; a
     * process whose CREATE_PROCESS arrives meanwhile (a .create not yet run to) is terminated as it is reported.
     */
    public void terminateAll() {
        quitting = true;
        for (Target t : targets) {
            k32.terminateProcess(t.handle(), 1);
            breakpoints.removeTarget(t);
        }
        run(NtStatus.DBG_CONTINUE);
    }

    /** qd: detaches from every debuggee. */
    public void detachAll() {
        for (Target t : List.copyOf(targets)) {
            String failure = detach(t, NtStatus.DBG_CONTINUE);
            if (failure != null) {
                out.println(failure);
            }
        }
    }

    // ---- helpers

    public Optional<Target> targetById(int pid) {
        for (Target t : targets) {
            if (t.id() == pid) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private String imageName(Handle process, long imageName, boolean unicode, Handle file) {
        String name = images.readImageName(process, imageName, unicode);
        if (name == null && !file.isNull()) {
            name = k32.getFinalPathNameByHandle(file);
        }
        return name == null ? "<unknown>" : name;
    }

    private void closeFile(Handle file) {
        if (!file.isNull()) {
            k32.closeHandle(file);
        }
    }
}
