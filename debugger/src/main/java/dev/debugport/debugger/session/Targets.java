package dev.debugport.debugger.session;

import dev.debugport.analysis.SymbolTable;
import dev.debugport.debugger.breakpoints.BreakpointTable;
import dev.debugport.debugger.target.Target;
import dev.debugport.debugger.target.TargetAnalysis;
import dev.debugport.debugger.target.TargetMemory;
import dev.debugport.debugger.target.TargetThread;
import dev.debugport.nt.Handle;
import dev.debugport.win32.Kernel32;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The debuggee processes on the session's debug object: those reported (CREATE_PROCESS), how many are still to be
 * reported, and the current process and thread (cdb's {@code |.} and {@code ~.}).
 */
final class Targets {
    private final Kernel32 k32;
    private final TargetAnalysis analysis;
    private final BreakpointTable breakpoints;
    private final List<Target> targets = new ArrayList<>();
    private int nextTargetNumber;
    private int expectedTargets;
    private Target current;
    private TargetThread currentThread;

    Targets(Kernel32 k32, TargetAnalysis analysis, BreakpointTable breakpoints) {
        this.k32 = k32;
        this.analysis = analysis;
        this.breakpoints = breakpoints;
    }

    /** The reported processes, in the order they came (a read-only view). */
    List<Target> all() {
        return Collections.unmodifiableList(targets);
    }

    Optional<Target> byId(int pid) {
        for (Target t : targets) {
            if (t.id() == pid) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    Target current() {
        return current;
    }

    TargetThread currentThread() {
        return currentThread;
    }

    /** ~Ns / |Ns: makes a thread (and its process) the current one. */
    void select(Target target, TargetThread thread) {
        current = target;
        currentThread = thread;
    }

    /** A process launched (CreateProcess) or attached (DebugActiveProcess) whose CREATE_PROCESS is still to come. */
    void expect() {
        expectedTargets++;
    }

    /** Whether there is anything to run: a debuggee, or one whose first event is expected. */
    boolean any() {
        return !targets.isEmpty() || expectedTargets > 0;
    }

    /**
     * CREATE_PROCESS: the process becomes a target (numbered in the order processes are reported, with its own memory
     * view, symbols and stack walker) and is no longer expected.
     */
    Target add(int pid, Handle process) {
        TargetMemory memory = new TargetMemory(k32, process);
        SymbolTable symbols = analysis.symbolsFor(memory);
        Target target = new Target(nextTargetNumber++, pid, process, memory, symbols,
                analysis.stackWalkerFor(memory, symbols), analysis.disassembler());
        targets.add(target);
        expectedTargets = Math.max(0, expectedTargets - 1);
        return target;
    }

    /** A process is gone (exited, detached): its breakpoints, bytes and threads are forgotten. */
    void forget(Target target) {
        targets.remove(target);
        breakpoints.removeTarget(target);
        if (current == target) {
            current = targets.isEmpty() ? null : targets.getFirst();
            currentThread = current == null ? null : current.threads().stream().findFirst().orElse(null);
        }
    }
}
