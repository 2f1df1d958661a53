package dev.debugport.analysis.symbols;

import dev.debugport.analysis.MemoryReader;
import dev.debugport.analysis.ModuleImage;
import dev.debugport.analysis.Symbol;
import dev.debugport.analysis.elf.ElfModule;
import dev.debugport.analysis.elf.ElfModules;
import dev.debugport.analysis.elf.ElfSymbolEntry;
import dev.debugport.analysis.pe.PeExport;
import dev.debugport.analysis.pe.PeExports;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a module's symbols come from: the ELF file at its path if there is one on this machine (its .symtab and
 * .dynsym, moved by the load bias), else the export directory of a PE image mapped at its base, else nowhere.
 */
final class SymbolSources {
    private final MemoryReader memory;
    private final ElfModules files;

    SymbolSources(MemoryReader memory, ElfModules files) {
        this.memory = memory;
        this.files = files;
    }

    ModuleSymbols load(ModuleImage module) {
        Optional<ElfModule> elf = files.get(module.path());
        if (elf.isPresent()) {
            return fromElf(module, elf.get());
        }
        return PeExports.read(memory, module.base()).map(exports -> fromExports(module, exports)).orElse(ModuleSymbols.NONE);
    }

    private static ModuleSymbols fromElf(ModuleImage module, ElfModule elf) {
        long bias = elf.loadBias(module.base());
        List<ModuleSymbols.Candidate> out = new ArrayList<>(elf.symbols().size());
        for (ElfSymbolEntry e : elf.symbols()) {
            out.add(new ModuleSymbols.Candidate(new Symbol(module, e.name(), e.value() + bias, e.size()), e.global(), e.code()));
        }
        return new ModuleSymbols(out);
    }

    private static ModuleSymbols fromExports(ModuleImage module, List<PeExport> exports) {
        List<ModuleSymbols.Candidate> out = new ArrayList<>(exports.size());
        for (PeExport e : exports) {
            out.add(new ModuleSymbols.Candidate(new Symbol(module, e.name(), module.base() + e.rva(), 0), true, true));
        }
        return new ModuleSymbols(out);
    }
}
