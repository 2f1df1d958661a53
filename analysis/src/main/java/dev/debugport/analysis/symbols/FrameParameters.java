package dev.debugport.analysis.symbols;

import dev.debugport.analysis.MemoryReader;
import dev.debugport.analysis.ModuleImage;
import dev.debugport.analysis.StackFrame;
import dev.debugport.analysis.SymbolTable;
import dev.debugport.analysis.dwarf.ExpressionFrame;
import dev.debugport.analysis.dwarf.ParameterValues;
import dev.debugport.analysis.dwarf.Subprogram;
import dev.debugport.analysis.elf.ElfModule;
import dev.debugport.analysis.elf.ElfModules;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The parameters of a stack frame's function, from the DWARF of the module containing it: what cdb's kp gets from
 * the symbol handler with full symbols (dbghelp's SymSetContext for the frame, then SymEnumSymbols for its
 * parameters). A module's DWARF is read the first time one of its frames is asked about, and kept with its parsed
 * ELF file (shared by every process that maps it).
 */
public final class FrameParameters {
    private final SymbolTable modules;
    private final MemoryReader memory;
    private final ElfModules files;

    /** Parameters of frames in the modules of {@code modules}, read through the shared ELF file cache. */
    public FrameParameters(SymbolTable modules, MemoryReader memory) {
        this(modules, memory, ElfModules.shared());
    }

    public FrameParameters(SymbolTable modules, MemoryReader memory, ElfModules files) {
        this.modules = modules;
        this.memory = memory;
        this.files = files;
    }

    /**
     * {@code type name = value} for each parameter of the function {@code frame} is in, in order; empty when no
     * DWARF describes that function (a module built without -g, a PE image, damaged debugging information), so that
     * kp prints the frame as k does.
     */
    public Optional<List<String>> of(StackFrame frame) {
        long pc = frame.lookupAddress();
        Optional<ModuleImage> module = modules.moduleAt(pc);
        Optional<ElfModule> elf = module.flatMap(m -> files.get(m.path()));
        if (elf.isEmpty()) {
            return Optional.empty();
        }
        long bias = elf.get().loadBias(module.get().base());
        Optional<Subprogram> function = elf.get().debugInfo().functionAt(pc - bias);
        ExpressionFrame where = new ExpressionFrame(frame.registers(), memory, frame.cfa(), OptionalLong.empty(), bias);
        return function.map(f -> ParameterValues.describe(f, where));
    }
}
