package dev.debugport.analysis.symbols;

import dev.debugport.analysis.LeastRecentlyUsedMap;
import dev.debugport.analysis.MemoryReader;
import dev.debugport.analysis.ModuleImage;
import dev.debugport.analysis.Symbol;
import dev.debugport.analysis.SymbolTable;
import dev.debugport.analysis.elf.ElfModules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The symbol table of one debuggee process: what the debugger engine's symbol handler (dbghelp's SymLoadModule,
 * SymFromAddr, SymFromName, SymEnumSymbols) does for cdb's {@code ln}, {@code x}, {@code lm} and every address it
 * prints. A module's symbols are read at the first lookup that needs them: from the ELF file at its path (parsed once
 * per file and shared, see {@link ElfModules}), else from the export directory of the PE image in memory. Methods are
 * synchronized: the debugger may call from more than one thread.
 */
public final class ProcessSymbols implements SymbolTable {
    private static final int DESCRIBED_CAPACITY = 1024;

    private final SymbolSources sources;
    private final TreeMap<Long, Loaded> modules = new TreeMap<>(Long::compareUnsigned);
    private ModuleImage main;
    /**
     * {@link #describe} by address, for as long as the modules stay as they are: a single step describes rip at every
     * stop, and a loop's few addresses over and over. Emptied when a module loads or unloads.
     */
    private final Map<Long, String> described = new LeastRecentlyUsedMap<>(DESCRIBED_CAPACITY);

    private static final class Loaded {
        final ModuleImage image;
        ModuleSymbols symbols;

        Loaded(ModuleImage image) {
            this.image = image;
        }
    }

    /** A table reading PE headers through {@code memory} and ELF files through the shared cache. */
    public ProcessSymbols(MemoryReader memory) {
        this(memory, ElfModules.shared());
    }

    public ProcessSymbols(MemoryReader memory, ElfModules files) {
        this.sources = new SymbolSources(memory, files);
    }

    /** The first module loaded (CREATE_PROCESS's image) is the main image that bare names are looked up in first. */
    @Override
    public synchronized void moduleLoaded(ModuleImage module) {
        modules.put(module.base(), new Loaded(module));
        described.clear();
        if (main == null) {
            main = module;
        }
    }

    @Override
    public synchronized void moduleUnloaded(long base) {
        Loaded gone = modules.remove(base);
        described.clear();
        if (gone != null && gone.image.equals(main)) {
            main = null;
        }
    }

    @Override
    public synchronized List<ModuleImage> modules() {
        return modules.values().stream().map(m -> m.image).toList();
    }

    @Override
    public synchronized Optional<ModuleImage> moduleAt(long address) {
        return loadedAt(address).map(m -> m.image);
    }

    @Override
    public synchronized Optional<ModuleImage> moduleNamed(String name) {
        return modules.values().stream().map(m -> m.image).filter(m -> m.name().equalsIgnoreCase(name)).findFirst();
    }

    @Override
    public synchronized Optional<Symbol> symbolAt(long address) {
        return loadedAt(address).flatMap(m -> symbols(m).atOrBelow(address));
    }

    /** {@code ln}'s and every listing's form of an address (the format is the interface's). */
    @Override
    public synchronized String describe(long address) {
        return described.computeIfAbsent(address, this::describeNow);
    }

    private String describeNow(long address) {
        Optional<Loaded> module = loadedAt(address);
        if (module.isEmpty()) {
            return String.format("%016x", address);
        }
        Optional<Symbol> symbol = symbols(module.get()).atOrBelow(address);
        if (symbol.isEmpty()) {
            return module.get().image.name() + SymbolTable.offsetSuffix(address - module.get().image.base());
        }
        return symbol.get().qualifiedName() + SymbolTable.offsetSuffix(address - symbol.get().address());
    }

    /** Name resolution as the expression evaluator needs it ({@code bp libc!puts}, {@code u main}, {@code ? ntdll}). */
    @Override
    public synchronized OptionalLong resolve(String name) {
        String n = name.strip();
        int bang = n.indexOf('!');
        if (bang >= 0) {
            Optional<Loaded> module = loadedNamed(n.substring(0, bang));
            String symbol = n.substring(bang + 1);
            return module.flatMap(m -> symbols(m).named(symbol).or(() -> symbols(m).namedIgnoringCase(symbol)))
                    .map(s -> OptionalLong.of(s.address())).orElse(OptionalLong.empty());
        }
        List<Loaded> order = searchOrder();
        Optional<Symbol> found = first(order, m -> symbols(m).named(n)).or(() -> first(order, m -> symbols(m).namedIgnoringCase(n)));
        if (found.isPresent()) {
            return OptionalLong.of(found.get().address());
        }
        return loadedNamed(n).map(m -> OptionalLong.of(m.image.base())).orElse(OptionalLong.empty());
    }

    /** {@code x module!pattern}; a pattern without {@code !} searches every module. */
    @Override
    public synchronized List<Symbol> find(String pattern) {
        String p = pattern.strip();
        int bang = p.indexOf('!');
        WildcardPattern modulePattern = WildcardPattern.compile(bang >= 0 ? p.substring(0, bang) : "*");
        WildcardPattern namePattern = WildcardPattern.compile(bang >= 0 ? p.substring(bang + 1) : p);
        List<Symbol> out = new ArrayList<>();
        for (Loaded m : modules.values()) {
            if (modulePattern.matches(m.image.name())) {
                out.addAll(symbols(m).matching(namePattern));
            }
        }
        out.sort(Comparator.comparing(Symbol::address, Long::compareUnsigned));
        return out;
    }

    private Optional<Loaded> loadedAt(long address) {
        Map.Entry<Long, Loaded> below = modules.floorEntry(address);
        return below != null && below.getValue().image.contains(address) ? Optional.of(below.getValue()) : Optional.empty();
    }

    private Optional<Loaded> loadedNamed(String name) {
        return modules.values().stream().filter(m -> m.image.name().equalsIgnoreCase(name)).findFirst();
    }

    /** The main image first, then the others by base address. */
    private List<Loaded> searchOrder() {
        List<Loaded> order = new ArrayList<>(modules.size());
        Loaded first = main == null ? null : modules.get(main.base());
        if (first != null) {
            order.add(first);
        }
        for (Loaded m : modules.values()) {
            if (m != first) {
                order.add(m);
            }
        }
        return order;
    }

    private static Optional<Symbol> first(List<Loaded> order, Function<Loaded, Optional<Symbol>> lookup) {
        for (Loaded m : order) {
            Optional<Symbol> s = lookup.apply(m);
            if (s.isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }

    private ModuleSymbols symbols(Loaded module) {
        if (module.symbols == null) {
            module.symbols = sources.load(module.image);
        }
        return module.symbols;
    }
}
