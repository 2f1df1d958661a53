package dev.debugport.analysis.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.analysis.MemoryReader;
import dev.debugport.analysis.ModuleImage;
import dev.debugport.analysis.Symbol;
import dev.debugport.analysis.TestPrograms;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Symbols of real ELF files (the compiled test program as PIE and as a fixed-address executable, and the system
 * libc), checked against binutils' {@code nm}, which reads the same tables with its own code.
 */
class ProcessSymbolsElfTest {
    private static final MemoryReader NO_MEMORY = (address, buffer, offset, length) -> 0;
    private static final long PIE_BASE = 0x5555_5555_4000L;
    private static final Path LIBC = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
    private static final long LIBC_BASE = 0x7F00_1000_0000L;

    private final ProcessSymbols symbols = new ProcessSymbols(NO_MEMORY);

    /** {@code nm --defined-only} of {@code file} ({@code -D}: the dynamic table): name to value. */
    private static Map<String, Long> nm(Path file, boolean dynamic) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(dynamic ? List.of("nm", "-D", "--defined-only", file.toString())
                : List.of("nm", "--defined-only", file.toString())).redirectErrorStream(true).start();
        Map<String, Long> out = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3) {
                    out.putIfAbsent(f[2].replaceAll("@.*", ""), Long.parseUnsignedLong(f[0], 16));
                }
            }
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "nm ran");
        return out;
    }

    private ModuleImage load(Path file, long base, long size) {
        ModuleImage m = ModuleImage.of(file.toString(), base, base + size);
        symbols.moduleLoaded(m);
        return m;
    }

    @Test
    void pieSymbolsMoveByTheLoadBias() throws Exception {
        Path exe = TestPrograms.path("callchain-O0");
        Map<String, Long> nm = nm(exe, false);
        ModuleImage m = load(exe, PIE_BASE, 0x5000);
        long g = PIE_BASE + nm.get("g");

        assertEquals("callchain_O0", m.name());
        assertEquals(OptionalLong.of(g), symbols.resolve("callchain_O0!g"));
        assertEquals(OptionalLong.of(g), symbols.resolve("g"), "a bare name");
        assertEquals(OptionalLong.of(g), symbols.resolve("CALLCHAIN_o0!G"), "case-insensitive");
        assertEquals(OptionalLong.of(PIE_BASE + nm.get("main")), symbols.resolve(" callchain_O0!main "));
        assertEquals(OptionalLong.of(PIE_BASE), symbols.resolve("callchain_O0"), "a module name is its base");
        assertEquals(OptionalLong.empty(), symbols.resolve("callchain_O0!nosuch"));
        assertEquals(OptionalLong.empty(), symbols.resolve("nosuch!g"));
        assertEquals(OptionalLong.empty(), symbols.resolve("nosuch"));

        assertEquals("callchain_O0!g", symbols.describe(g));
        assertEquals("callchain_O0!g+0x1a", symbols.describe(g + 0x1a));
        assertEquals("callchain_O0+0x10", symbols.describe(PIE_BASE + 0x10), "in the module, below its first symbol");
        assertEquals("00007fffffffe000", symbols.describe(0x7FFF_FFFF_E000L), "in no module");
        assertEquals("fffff80000001000", symbols.describe(0xFFFF_F800_0000_1000L));

        Symbol s = symbols.symbolAt(g + 4).orElseThrow();
        assertEquals("g", s.name());
        assertEquals(m, s.module());
        assertTrue(s.size() > 0x20, "g's size comes from the table: " + s.size());
        assertEquals(Optional.empty(), symbols.symbolAt(PIE_BASE + 0x10));
    }

    @Test
    void fixedAddressExecutableIsNotMoved() throws Exception {
        Path exe = TestPrograms.path("callchain-nopie");
        Map<String, Long> nm = nm(exe, false);
        load(exe, 0x40_0000, 0x5000);
        assertEquals(OptionalLong.of(nm.get("g")), symbols.resolve("callchain_nopie!g"));
        assertEquals("callchain_nopie!f+0x2", symbols.describe(nm.get("f") + 2));
    }

    @Test
    void findTakesWildcardsInBothParts() throws Exception {
        Path exe = TestPrograms.path("callchain-O0");
        Map<String, Long> nm = nm(exe, false);
        load(exe, PIE_BASE, 0x5000);
        List<String> byAddress = nm.get("f") < nm.get("g") ? List.of("f", "g") : List.of("g", "f");
        assertEquals(byAddress, names(symbols.find("callchain_O0!?")), "one-letter names, ordered by address");
        assertEquals(List.of("main"), names(symbols.find("call*!MA*")));
        assertEquals(List.of("main"), names(symbols.find("ma?n")), "no module part: every module");
        assertEquals(List.of(), names(symbols.find("other!*")));
    }

    @Test
    void libcFromDynsymPrefersThePlainNameOfAnAlias() throws Exception {
        Map<String, Long> nm = nm(LIBC, true);
        ModuleImage libc = load(LIBC, LIBC_BASE, 0x20_0000);
        long puts = LIBC_BASE + nm.get("puts");

        assertEquals("libc", libc.name());
        assertEquals(OptionalLong.of(puts), symbols.resolve("libc!puts"));
        assertEquals(OptionalLong.of(puts), symbols.resolve("libc!_IO_puts"), "the alias resolves too");
        assertEquals("libc!puts+0x1a", symbols.describe(puts + 0x1a), "puts, not _IO_puts");
        assertEquals("libc!puts", symbols.describe(puts));
        assertTrue(symbols.find("libc!*printf").size() > 10);
    }

    @Test
    void mainImageIsSearchedFirstAndUnloadForgets() throws Exception {
        Path exe = TestPrograms.path("callchain-O0");
        Map<String, Long> libcNm = nm(LIBC, true);
        load(exe, PIE_BASE, 0x5000);
        load(LIBC, LIBC_BASE, 0x20_0000);
        assertEquals(List.of("callchain_O0", "libc"), symbols.modules().stream().map(ModuleImage::name).toList());
        assertEquals(OptionalLong.of(LIBC_BASE + libcNm.get("puts")), symbols.resolve("puts"));
        assertEquals("libc", symbols.moduleNamed("LIBC").orElseThrow().name());
        assertEquals("libc", symbols.moduleAt(LIBC_BASE + 5).orElseThrow().name());

        symbols.moduleUnloaded(LIBC_BASE);
        assertEquals(OptionalLong.empty(), symbols.resolve("puts"));
        assertEquals(Optional.empty(), symbols.moduleAt(LIBC_BASE + 5));
        assertEquals(String.format("%016x", LIBC_BASE + 5), symbols.describe(LIBC_BASE + 5));
    }

    @Test
    void aDescriptionFollowsModulesLoadedAndUnloadedAtItsAddress() throws Exception {
        Map<String, Long> nm = nm(LIBC, true);
        long puts = LIBC_BASE + nm.get("puts");
        String bare = String.format("%016x", puts);
        assertEquals(bare, symbols.describe(puts), "in no module yet");
        load(LIBC, LIBC_BASE, 0x20_0000);
        assertEquals("libc!puts", symbols.describe(puts), "the load is seen");
        symbols.moduleUnloaded(LIBC_BASE);
        assertEquals(bare, symbols.describe(puts), "the unload is seen");
        load(Path.of("/nonexistent/libghost.so.1"), LIBC_BASE, 0x20_0000);
        assertEquals("libghost+0x" + Long.toHexString(nm.get("puts")), symbols.describe(puts), "another module there");
    }

    @Test
    void aModuleWithoutAnyImageHasOnlyItsName() {
        load(Path.of("/nonexistent/libghost.so.1"), 0x7F00_0000_0000L, 0x1000);
        assertEquals("libghost+0x20", symbols.describe(0x7F00_0000_0020L));
        assertEquals(List.of(), symbols.find("libghost!*"));
    }

    private static List<String> names(List<Symbol> list) {
        return list.stream().map(Symbol::name).toList();
    }
}
