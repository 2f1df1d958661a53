package dev.debugport.cli.session;

import dev.debugport.analysis.SymbolTable;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The modules each debuggee has loaded, as the debugger learnt them from events, for names and module+offset. */
final class ModuleTable {
    /** One loaded module. */
    record Module(String path, long base, long end) {
        String name() {
            int slash = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
            String file = path.substring(slash + 1);
            int dot = file.lastIndexOf('.');
            return dot > 0 ? file.substring(0, dot) : file;
        }
    }

    private final Map<Long, TreeMap<Long, Module>> byProcess = new ConcurrentHashMap<>();

    void add(long pid, Module m) {
        byProcess.computeIfAbsent(pid, k -> new TreeMap<>()).put(m.base(), m);
    }

    Module remove(long pid, long base) {
        TreeMap<Long, Module> mods = byProcess.get(pid);
        return mods == null ? null : mods.remove(base);
    }

    void forget(long pid) {
        byProcess.remove(pid);
    }

    /** "module+0xoffset" for an address inside a known module, or null. */
    String symbolize(long pid, long address) {
        TreeMap<Long, Module> mods = byProcess.get(pid);
        if (mods == null) {
            return null;
        }
        Map.Entry<Long, Module> e = mods.floorEntry(address);
        if (e == null || (e.getValue().end() > e.getValue().base() && address >= e.getValue().end())) {
            return null;
        }
        long offset = address - e.getKey();
        return e.getValue().name() + SymbolTable.offsetSuffix(offset);
    }
}
