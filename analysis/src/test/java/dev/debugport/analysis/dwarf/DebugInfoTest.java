package dev.debugport.analysis.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.analysis.TestPrograms;
import dev.debugport.analysis.elf.ElfModule;
import dev.debugport.analysis.elf.ElfModules;
import dev.debugport.analysis.elf.ElfSymbolEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import net.fornwall.jelf.ElfFile;
import net.fornwall.jelf.ElfSection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DWARF reader on the test build's params programs (src/test/c/params.c, gcc's DWARF 5 and DWARF 4), and on
 * damaged copies of their .debug_info, which must give no function and throw nothing.
 */
class DebugInfoTest {

    @ParameterizedTest
    @ValueSource(strings = {"params", "params-dwarf4", "params-O2"})
    void findsInnerAndItsTypedParameters(String program) {
        ElfModule elf = module(TestPrograms.path(program));
        long inner = symbol(elf, "inner");
        Subprogram f = elf.debugInfo().functionAt(inner + 1).orElseThrow();
        assertEquals("inner", f.name());
        assertEquals(List.of("n", "u", "c", "s", "p", "d", "flag"), f.parameters().stream().map(Subprogram.Parameter::name).toList());
        assertEquals(List.of(
                new DwarfType("int", DwarfType.Kind.SIGNED, 4),
                new DwarfType("count_t", DwarfType.Kind.UNSIGNED, 4),
                new DwarfType("char", DwarfType.Kind.SIGNED_CHAR, 1),
                new DwarfType("const char *", DwarfType.Kind.POINTER, 8),
                new DwarfType("struct point", DwarfType.Kind.AGGREGATE, 24),
                new DwarfType("double", DwarfType.Kind.FLOAT, 8),
                new DwarfType("_Bool", DwarfType.Kind.BOOLEAN, 1)), f.parameters().stream().map(Subprogram.Parameter::type).toList());
        assertTrue(f.frameBase() instanceof LocationDescription.Expression(byte[] code, int start, int end)
                && end - start == 1 && (code[start] & 0xFF) == 0x9C, "gcc's frame base is DW_OP_call_frame_cfa");
        Subprogram middle = elf.debugInfo().functionAt(symbol(elf, "middle")).orElseThrow();
        assertEquals("const volatile long int *", middle.parameters().get(2).type().name());
    }

    @Test
    void unoptimizedParametersLieAtFixedOffsetsFromTheFrameBase() {
        ElfModule elf = module(TestPrograms.path("params"));
        Subprogram main = elf.debugInfo().functionAt(symbol(elf, "main")).orElseThrow();
        // int argc at DW_OP_fbreg -20; with the CFA at 0x1000 that is 0xfec, read from memory holding 0n3 there.
        ExpressionFrame frame = new ExpressionFrame(register -> OptionalLong.empty(), (address, buffer, offset, length) -> {
            for (int i = 0; i < length; i++) {
                buffer[offset + i] = address + i == 0xFEC ? (byte) 3 : 0;
            }
            return length;
        }, OptionalLong.of(0x1000), OptionalLong.empty(), 0);
        assertEquals(List.of("int argc = 0n3", "char ** argv = 0x00000000`00000000"), ParameterValues.describe(main, frame));
        ExpressionFrame noCfa = new ExpressionFrame(frame.registers(), frame.memory(), OptionalLong.empty(), OptionalLong.empty(), 0);
        assertEquals(List.of("int argc = <value unavailable>", "char ** argv = <value unavailable>"), ParameterValues.describe(main, noCfa),
                "the outermost frame walked has no CFA");
    }

    @Test
    void aProgramWithoutDebugInformationHasNone() {
        ElfModule elf = module(TestPrograms.path("params-nodebug"));
        assertEquals(DebugInfo.NONE, elf.debugInfo());
        assertEquals(Optional.empty(), elf.debugInfo().functionAt(symbol(elf, "inner")));
    }

    @Test
    void truncatedOrDamagedDebugInfoGivesNoFunctionAndNoException(@TempDir Path dir) throws IOException {
        Path original = TestPrograms.path("params");
        long inner = symbol(module(original), "inner");
        byte[] file = Files.readAllBytes(original);
        ElfSection info = ElfFile.from(file).firstSectionByName(".debug_info");
        int at = (int) info.header.sh_offset;
        int size = (int) info.header.sh_size;

        byte[] truncated = file.clone();
        truncated[at] = (byte) 0xF0; // the unit's length now runs past the section's end
        truncated[at + 1] = (byte) 0xFF;
        truncated[at + 2] = (byte) 0xFF;
        assertEquals(Optional.empty(), functionAt(dir, "truncated", truncated, inner));

        byte[] badAbbreviations = file.clone();
        for (int i = at + 12; i < at + size; i++) {
            badAbbreviations[i] = (byte) 0x7F; // every entry names abbreviation 127, which the table does not have
        }
        assertEquals(Optional.empty(), functionAt(dir, "codes", badAbbreviations, inner));

        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            byte[] damaged = file.clone();
            for (int i = 0; i < 8; i++) {
                damaged[at + random.nextInt(size)] = (byte) random.nextInt(256);
            }
            // Whatever survives, reading it must end normally and its values must print.
            functionAt(dir, "fuzz" + round, damaged, inner).ifPresent(f -> ParameterValues.describe(f, new ExpressionFrame(
                    register -> OptionalLong.of(0x1000), (address, buffer, offset, length) -> 0, OptionalLong.of(0x2000), OptionalLong.empty(), 0)));
        }
    }

    @Test
    void sectionsThatAreNotDwarfGiveNoUnits() {
        byte[] empty = new byte[0];
        byte[] garbage = {1, 2, 3};
        DebugInfo info = DebugInfo.parse(new DebugSections(garbage, garbage, empty, empty, empty, empty, empty, empty, empty, empty));
        assertEquals(0, info.unitCount());
        assertEquals(Optional.empty(), info.functionAt(0x1139));
    }

    private static Optional<Subprogram> functionAt(Path dir, String name, byte[] file, long pc) throws IOException {
        Path copy = dir.resolve(name);
        Files.write(copy, file);
        return module(copy).debugInfo().functionAt(pc);
    }

    private static ElfModule module(Path path) {
        return new ElfModules().get(path.toString()).orElseThrow();
    }

    private static long symbol(ElfModule elf, String name) {
        return elf.symbols().stream().filter(s -> s.name().equals(name)).mapToLong(ElfSymbolEntry::value).findFirst().orElseThrow();
    }
}
