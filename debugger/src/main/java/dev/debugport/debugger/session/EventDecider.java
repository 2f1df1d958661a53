package dev.debugport.debugger.session;

import dev.debugport.analysis.ModuleImage;
import dev.debugport.analysis.SymbolTable;
import dev.debugport.debugger.Output;
import dev.debugport.debugger.breakpoints.BreakpointTable;
import dev.debugport.debugger.events.EventFilter;
import dev.debugport.debugger.events.EventFilterTable;
import dev.debugport.debugger.format.Hex;
import dev.debugport.debugger.target.DebuggeeMemory;
import dev.debugport.debugger.target.Target;
import dev.debugport.debugger.target.TargetThread;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.NtStatus;
import dev.debugport.win32.Kernel32;
import java.util.Optional;

/**
 * cdb's break-or-continue decision for every debug event: the targets and their threads and modules are kept up to
 * date, the event's line is printed as its sx filter says, and exceptions go to {@link ExceptionDecider}. While the
 * session quits (q) or a process is killed (.kill), their events go through without stopping.
 */
final class EventDecider {
    private final Kernel32 k32;
    private final Output out;
    private final DebuggeeMemory images;
    private final Targets targets;
    private final BreakpointTable breakpoints;
    private final EventFilterTable filters;
    private final ExceptionDecider exceptions;
    private Target killing;
    /** q is ending the session: every debuggee, including one whose CREATE_PROCESS is still to come, is terminated. */
    private boolean quitting;

    EventDecider(Kernel32 k32, Output out, Targets targets, BreakpointTable breakpoints, EventFilterTable filters,
            ExceptionDecider exceptions) {
        this.k32 = k32;
        this.out = out;
        this.images = new DebuggeeMemory(k32);
        this.targets = targets;
        this.breakpoints = breakpoints;
        this.filters = filters;
        this.exceptions = exceptions;
    }

    /** .kill: {@code target} was terminated; its events go through until its EXIT_PROCESS. */
    void killing(Target target) {
        killing = target;
    }

    /** q: every debuggee was terminated; events go through, and a process reported from now on is terminated. */
    void quitting() {
        quitting = true;
    }

    /**
     * What to do with event {@code e}: an event of a process the session does not know (gone, detached) and the
     * events of a process being killed or of a quitting session go through without a decision of their own.
     */
    Decision decide(DebugEvent e, StepPlan plan) {
        Optional<Target> found = targets.byId(e.processId());
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
            case DebugEventInfo.ExceptionDebugInfo ex -> exceptions.exception(found.get(), e.threadId(), ex, who, plan);
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
        Target target = targets.add(e.processId(), cp.process());
        TargetThread thread = target.addThread(e.threadId(), cp.thread(), cp.threadLocalBase());
        if (targets.current() == null) {
            targets.select(target, thread);
        }
        String path = images.takeImagePath(cp.process(), cp.imageName(), cp.unicode(), cp.file());
        ModuleImage image = ModuleImage.of(path, cp.baseOfImage(), cp.baseOfImage() + images.imageSize(cp.process(), cp.baseOfImage()));
        target.symbols().moduleLoaded(image);
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
        String path = images.takeImagePath(target.handle(), ld.imageName(), ld.unicode(), ld.file());
        ModuleImage image = ModuleImage.of(path, ld.baseOfDll(), ld.baseOfDll() + images.imageSize(target.handle(), ld.baseOfDll()));
        target.symbols().moduleLoaded(image);
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
        targets.forget(target);
        if (!targets.any()) {
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
}
