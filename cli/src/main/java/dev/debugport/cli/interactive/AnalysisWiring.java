package dev.debugport.cli.interactive;

import dev.debugport.analysis.Disassembler;
import dev.debugport.analysis.MemoryReader;
import dev.debugport.analysis.StackWalker;
import dev.debugport.analysis.SymbolTable;
import dev.debugport.analysis.disasm.CapstoneDisassembler;
import dev.debugport.analysis.symbols.ProcessSymbols;
import dev.debugport.analysis.unwind.CfiStackWalker;
import dev.debugport.debugger.target.TargetAnalysis;

/**
 * The analysis module's implementations behind the debugger: ELF / PE-export symbol tables, the .eh_frame stack walker
 * (frame pointers where there is no CFI), and Capstone for disassembly (opened on first use).
 */
final class AnalysisWiring implements TargetAnalysis, AutoCloseable {
    private Disassembler disassembler;

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
            disassembler = new CapstoneDisassembler();
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
