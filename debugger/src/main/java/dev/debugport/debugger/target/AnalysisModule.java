package dev.debugport.debugger.target;

import dev.debugport.analysis.Disassembler;
import dev.debugport.analysis.MemoryReader;
import dev.debugport.analysis.StackWalker;
import dev.debugport.analysis.SymbolTable;
import dev.debugport.analysis.disasm.CapstoneDisassembler;
import dev.debugport.analysis.symbols.ProcessSymbols;
import dev.debugport.analysis.unwind.CfiStackWalker;
import java.util.function.Supplier;

/**
 * The analysis module's implementations behind the debugger: ELF / PE-export symbol tables, the .eh_frame stack walker
 * (frame pointers where there is no CFI), and a disassembler (Capstone unless told otherwise) opened on first use.
 */
public final class AnalysisModule implements TargetAnalysis, AutoCloseable {
    private final Supplier<Disassembler> disassemblers;
    private Disassembler disassembler;

    /** With Capstone for disassembly. */
    public AnalysisModule() {
        this(CapstoneDisassembler::new);
    }

    /** With the disassembler {@code disassemblers} makes (tests that read stacks, not code, pass a test double). */
    public AnalysisModule(Supplier<Disassembler> disassemblers) {
        this.disassemblers = disassemblers;
    }

    @Override
    public SymbolTable symbolsFor(MemoryReader memory) {
        return new ProcessSymbols(memory);
    }

    @Override
    public StackWalker stackWalkerFor(MemoryReader memory, SymbolTable symbols) {
        return new CfiStackWalker(memory, symbols);
    }

    @Override
    public synchronized Disassembler disassembler() {
        if (disassembler == null) {
            disassembler = disassemblers.get();
        }
        return disassembler;
    }

    @Override
    public synchronized void close() {
        if (disassembler != null) {
            disassembler.close();
        }
    }
}
