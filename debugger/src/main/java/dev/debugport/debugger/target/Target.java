package dev.debugport.debugger.target;

import dev.debugport.analysis.Disassembler;
import dev.debugport.analysis.Instruction;
import dev.debugport.analysis.StackWalker;
import dev.debugport.analysis.SymbolTable;
import dev.debugport.nt.Handle;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One debuggee process on the debug object: its cdb number (|N), id, the process handle from CREATE_PROCESS, its
 * memory, symbols, stack walker, the instructions decoded in it, and its threads.
 */
public final class Target {
    private final int number;
    private final int id;
    private final Handle handle;
    private final TargetMemory memory;
    private final SymbolTable symbols;
    private final StackWalker stackWalker;
    private final InstructionCache instructions;
    private final Map<Integer, TargetThread> threads = new LinkedHashMap<>();
    private int nextThreadNumber;
    private boolean initialBreakpointSeen;

    public Target(int number, int id, Handle handle, TargetMemory memory, SymbolTable symbols, StackWalker stackWalker,
                  Disassembler disassembler) {
        this.number = number;
        this.id = id;
        this.handle = handle;
        this.memory = memory;
        this.symbols = symbols;
        this.stackWalker = stackWalker;
        this.instructions = new InstructionCache(disassembler, memory);
    }

    public int number() {
        return number;
    }

    public int id() {
        return id;
    }

    public Handle handle() {
        return handle;
    }

    public TargetMemory memory() {
        return memory;
    }

    public SymbolTable symbols() {
        return symbols;
    }

    public StackWalker stackWalker() {
        return stackWalker;
    }

    /** The instruction at an address (decoded once while its bytes stay the same). */
    public Optional<Instruction> instructionAt(long address) {
        return instructions.at(address);
    }

    /** A thread reported by CREATE_PROCESS or CREATE_THREAD gets the next number. */
    public TargetThread addThread(int tid, Handle handle, long teb) {
        TargetThread t = new TargetThread(nextThreadNumber++, tid, handle, teb);
        threads.put(tid, t);
        return t;
    }

    public void removeThread(int tid) {
        threads.remove(tid);
    }

    public Optional<TargetThread> thread(int tid) {
        return Optional.ofNullable(threads.get(tid));
    }

    public Optional<TargetThread> threadNumbered(int number) {
        return threads.values().stream().filter(t -> t.number() == number).findFirst();
    }

    public Collection<TargetThread> threads() {
        return threads.values();
    }

    /** The first STATUS_BREAKPOINT of a process is its initial breakpoint (the loader's, or the attach break-in). */
    public boolean takeInitialBreakpoint() {
        boolean first = !initialBreakpointSeen;
        initialBreakpointSeen = true;
        return first;
    }
}
