package dev.debugport.analysis.unwind;

import dev.debugport.analysis.ModuleImage;
import dev.debugport.analysis.elf.ElfModule;
import dev.debugport.analysis.elf.ElfModules;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * The .eh_frame tables of ELF files, parsed at the first walk that needs each one and kept as long as the parsed file
 * is (one table per file, shared by every process that maps it). Thread-safe.
 */
final class UnwindTables {
    private static final EhFrameTable NONE = EhFrameTable.parse(new byte[0], 0);

    /** An FDE found for a pc, with what it takes to use it there. */
    record Found(EhFrameTable table, FrameDescriptionEntry fde, long linkTimePc) {
    }

    private final ElfModules files;
    private final Map<ElfModule, EhFrameTable> tables = Collections.synchronizedMap(new WeakHashMap<>());

    UnwindTables(ElfModules files) {
        this.files = files;
    }

    /** The FDE covering {@code pc} in {@code module} (mapped at its base), if its file has one. */
    Optional<Found> find(ModuleImage module, long pc) {
        Optional<ElfModule> elf = files.get(module.path());
        if (elf.isEmpty()) {
            return Optional.empty();
        }
        EhFrameTable table = tables.computeIfAbsent(elf.get(),
                e -> e.ehFrame().map(s -> EhFrameTable.parse(s.data(), s.address())).orElse(NONE));
        long linkTimePc = pc - elf.get().loadBias(module.base());
        return table.find(linkTimePc).map(fde -> new Found(table, fde, linkTimePc));
    }
}
