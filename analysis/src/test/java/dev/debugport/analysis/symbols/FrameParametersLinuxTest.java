package dev.debugport.analysis.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.analysis.LinuxDebuggee;
import dev.debugport.analysis.MemoryWords;
import dev.debugport.analysis.StackFrame;
import dev.debugport.analysis.TestPrograms;
import dev.debugport.analysis.unwind.CfiStackWalker;
import dev.debugport.nt.DebugEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kp's parameters of a real process stopped at the int3 in inner (main -> outer -> middle -> inner,
 * src/test/c/params.c), read from the program's DWARF in each frame the CFI walker found: at -O0 on the stack from
 * the CFA (DWARF 5 and 4), at -O2 in frame 0's registers and through location lists.
 */
class FrameParametersLinuxTest {
    private static final String POINTER = "0x[0-9a-f]{8}`[0-9a-f]{8}";

    @ParameterizedTest
    @ValueSource(strings = {"params", "params-dwarf4"})
    void everyFrameOfTheUnoptimizedProgramShowsItsParameters(String program) {
        try (LinuxDebuggee d = LinuxDebuggee.launch(TestPrograms.path(program))) {
            List<Optional<List<String>>> shown = parameters(d);
            List<String> inner = shown.get(0).orElseThrow();
            assertEquals(List.of("int n = 0n-5", "count_t u = 0n7", "char c = 0n65 'A'"), inner.subList(0, 3), shown.toString());
            assertTrue(inner.get(3).matches("const char \\* s = " + POINTER), inner.get(3));
            assertTrue(inner.get(4).matches("struct point p = " + POINTER), inner.get(4));
            assertEquals(List.of("double d = 2.5", "_Bool flag = true"), inner.subList(5, 7));
            assertEquals("text", string(d, address(inner.get(3))), "s points at the literal");
            for (int i = 0; i < 3; i++) {
                assertEquals(i + 1, MemoryWords.qword(d.memory(), address(inner.get(4)) + 8L * i).orElseThrow(), "p is {1, 2, 3} there");
            }
            List<String> middle = shown.get(1).orElseThrow();
            assertEquals(List.of("long long unsigned int big = 0n4886718345", "short int neg = 0n-2"), middle.subList(0, 2));
            String exe = program.replace('-', '_');
            assertEquals(d.symbols().resolve(exe + "!sink").orElseThrow(), address(middle.get(2)), "where = &sink");
            assertEquals(Optional.of(List.of("int argc = 0n1")), shown.get(2));
            assertEquals("int argc = 0n1", shown.get(3).orElseThrow().get(0));
            assertTrue(shown.subList(4, shown.size()).stream().allMatch(Optional::isEmpty), "libc has no DWARF here: " + shown);
        }
    }

    @Test
    void optimizedCodeReadsRegistersAndLocationListsAndSaysWhatIsGone() {
        try (LinuxDebuggee d = LinuxDebuggee.launch(TestPrograms.path("params-O2"))) {
            List<Optional<List<String>>> shown = parameters(d);
            List<String> inner = shown.get(0).orElseThrow();
            assertEquals(List.of("int n = 0n-5", "count_t u = 0n7", "char c = 0n65 'A'"), inner.subList(0, 3), "rdi, rsi, rdx: " + inner);
            assertEquals("text", string(d, address(inner.get(3))), "rcx: " + inner);
            assertEquals("double d = <value unavailable>", inner.get(5), "xmm0: the context has no vector registers");
            assertEquals("_Bool flag = true", inner.get(6));
            assertEquals(3, shown.get(1).orElseThrow().size(), "middle's arguments are gone or recovered, never missing: " + shown);
            assertTrue(shown.get(1).orElseThrow().stream().allMatch(p -> p.matches(".* = (0n-?\\d+|" + POINTER + "|<value unavailable>)")), shown.toString());
        }
    }

    @Test
    void aProgramWithoutDebugInformationHasNoParameters() {
        try (LinuxDebuggee d = LinuxDebuggee.launch(TestPrograms.path("params-nodebug"))) {
            assertTrue(parameters(d).stream().allMatch(Optional::isEmpty));
        }
    }

    private static List<Optional<List<String>>> parameters(LinuxDebuggee d) {
        DebugEvent stop = d.runToBreakpointIn("inner");
        List<StackFrame> frames = new CfiStackWalker(d.memory(), d.symbols()).walk(d.context(stop.threadId()), 16);
        FrameParameters parameters = new FrameParameters(d.symbols(), d.memory());
        return frames.stream().map(parameters::of).toList();
    }

    /** The pointer at the end of "type name = 0x0000xxxx`xxxxxxxx". */
    private static long address(String parameter) {
        return Long.parseUnsignedLong(parameter.substring(parameter.lastIndexOf("0x") + 2).replace("`", ""), 16);
    }

    private static String string(LinuxDebuggee d, long at) {
        byte[] b = MemoryWords.read(d.memory(), at, 4).orElseThrow();
        return new String(b, StandardCharsets.US_ASCII);
    }
}
