package dev.debugport.analysis;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The symbols of one debuggee process: the modules the debugger has seen load, and their symbol tables (ELF .symtab
 * and .dynsym of the file for a Linux module; the export directory in memory for a PE image), loaded lazily.
 */
public interface SymbolTable {
    /** A module was mapped (CREATE_PROCESS or LOAD_DLL). */
    void moduleLoaded(ModuleImage module);

    /** The module at {@code base} was unmapped (UNLOAD_DLL). */
    void moduleUnloaded(long base);

    /** The loaded modules, ordered by base address. */
    List<ModuleImage> modules();

    /** The module that contains {@code address}. */
    Optional<ModuleImage> moduleAt(long address);

    /** The module named {@code name} (its cdb name, case-insensitive). */
    Optional<ModuleImage> moduleNamed(String name);

    /** The symbol that contains {@code address}, or else the nearest one below it in the same module. */
    Optional<Symbol> symbolAt(long address);

    /**
     * {@code address} as cdb prints it: {@code module!symbol+0xoffset} (no {@code +0x0} when it is the start),
     * {@code module+0xoffset} when the module has no symbol below it, or 16 hex digits when no module contains it.
     */
    String describe(long address);

    /**
     * What follows a symbol or module name in {@link #describe}'s form, as cdb prints it: {@code +0x1c}, and nothing
     * for the name's own address.
     */
    static String offsetSuffix(long offset) {
        return offset == 0 ? "" : "+0x" + Long.toHexString(offset);
    }

    /**
     * Resolves a name: {@code module!symbol}, a bare {@code symbol} (searching every module, the main image first),
     * or a bare module name (its base).
     */
    OptionalLong resolve(String name);

    /**
     * The symbols matching a pattern as the {@code x} command takes it: {@code module!pattern} where either part may
     * use {@code *} and {@code ?} wildcards; case-insensitive. Ordered by address.
     */
    List<Symbol> find(String pattern);
}
