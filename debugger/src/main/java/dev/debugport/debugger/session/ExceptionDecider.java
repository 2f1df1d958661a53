package dev.debugport.debugger.session;

import dev.debugport.debugger.Output;
import dev.debugport.debugger.breakpoints.Breakpoint;
import dev.debugport.debugger.breakpoints.BreakpointTable;
import dev.debugport.debugger.breakpoints.DebugRegisters;
import dev.debugport.debugger.events.EventFilter;
import dev.debugport.debugger.events.EventFilterTable;
import dev.debugport.debugger.events.ExceptionNames;
import dev.debugport.debugger.target.Target;
import dev.debugport.debugger.target.TargetThread;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.NtStatus;
import dev.debugport.win32.Kernel32;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * cdb's decision for an EXCEPTION_DEBUG_EVENT: the debugger's own breakpoints and single steps (software and hardware
 * breakpoints with their pass counts, the step plan), the break-in, the initial breakpoint, and otherwise the sx
 * filter of the exception code.
 */
final class ExceptionDecider {
    private final Kernel32 k32;
    private final Output out;
    private final BreakpointTable breakpoints;
    private final EventFilterTable filters;
    private final BreakInRequest breakIn;

    ExceptionDecider(Kernel32 k32, Output out, BreakpointTable breakpoints, EventFilterTable filters, BreakInRequest breakIn) {
        this.k32 = k32;
        this.out = out;
        this.breakpoints = breakpoints;
        this.filters = filters;
        this.breakIn = breakIn;
    }

    /**
     * EXCEPTION_DEBUG_EVENT: a first-chance STATUS_BREAKPOINT or STATUS_SINGLE_STEP the debugger caused is its own
     * (breakpoint, step, break-in, initial breakpoint); anything else goes to the sx filter of its code.
     */
    Decision exception(Target target, int tid, DebugEventInfo.ExceptionDebugInfo ex, String who, StepPlan plan) {
        ExceptionRecord record = ex.exceptionRecord();
        int code = record.code();
        TargetThread thread = target.thread(tid).orElse(null);
        if (thread != null && code == NtStatus.STATUS_BREAKPOINT.value() && ex.firstChance()) {
            Decision ours = ownBreakpoint(target, thread, record.address(), plan);
            if (ours != null) {
                return ours;
            }
            if (breakIn.expectsBreakpoint()) {
                breakIn.breakpointArrived();
                out.println(who + ExceptionNames.describe(code) + " - code " + String.format("%08x", code) + " (first chance)");
                return Decision.stop(Stop.of(Stop.Kind.BREAK_IN), NtStatus.DBG_CONTINUE);
            }
            if (target.takeInitialBreakpoint()) {
                return filtered(filters.event("ibp"), who, record, true, code);
            }
        }
        if (thread != null && code == NtStatus.STATUS_SINGLE_STEP.value() && ex.firstChance()) {
            Decision ours = ownSingleStep(target, thread, plan);
            if (ours != null) {
                return ours;
            }
        }
        if (code == NtStatus.DBG_CONTROL_C.value()) {
            breakIn.clear();
        }
        return filtered(filters.forException(code), who, record, ex.firstChance(), code);
    }

    /** A STATUS_BREAKPOINT at one of the int3 bytes the debugger wrote, or null if it is not ours. */
    private Decision ownBreakpoint(Target target, TargetThread thread, long address, StepPlan plan) {
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
    private Decision ownSingleStep(Target target, TargetThread thread, StepPlan plan) {
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
}
