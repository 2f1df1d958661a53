package dev.debugport.debugger.target;

import dev.debugport.analysis.Disassembler;
import dev.debugport.analysis.MemoryReader;
import dev.debugport.analysis.StackWalker;
import dev.debugport.analysis.SymbolTable;

/** Where the debugger gets its symbols, stack walker and disassembler (module {@code analysis}); the front end wires it. */
public interface TargetAnalysis {
    /** A symbol table for one new debuggee process. */
    SymbolTable symbolsFor(MemoryReader memory);

    /** A stack walker for one debuggee process. */
    StackWalker stackWalkerFor(MemoryReader memory, SymbolTable symbols);

    /** The disassembler (shared by every process). */
    Disassembler disassembler();
}
