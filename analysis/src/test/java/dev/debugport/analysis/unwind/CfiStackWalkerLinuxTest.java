package dev.debugport.analysis.unwind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.analysis.LinuxDebuggee;
import dev.debugport.analysis.StackFrame;
import dev.debugport.analysis.Symbol;
import dev.debugport.analysis.TestPrograms;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.DebugEvent;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Walks the stack of a real process stopped at an int3 in g (main -> f -> g, src/test/c/callchain.c), built three
 * ways: with frame pointers and CFI, with CFI only (-O2 -fomit-frame-pointer: rbp is no frame pointer, so only the
 * CFI finds f's caller), and with frame pointers only (no unwind tables for the program's own functions).
 */
class CfiStackWalkerLinuxTest {

    @ParameterizedTest
    @ValueSource(strings = {"callchain-O0", "callchain-O2", "callchain-nocfi"})
    void walksFromGThroughFAndMainIntoLibcAndEndsAtStart(String program) {
        try (LinuxDebuggee d = LinuxDebuggee.launch(TestPrograms.path(program))) {
            DebugEvent stop = d.runToBreakpointIn("g");
            Amd64Context context = d.context(stop.threadId());
            List<StackFrame> frames = new CfiStackWalker(d.memory(), d.symbols()).walk(context, 32);
            String shown = frames.stream().map(f -> d.symbols().describe(f.instruction()) + " " + f.method())
                    .collect(Collectors.joining("\n")) + "\nmodules: " + d.symbols().modules();
            String exe = program.replace('-', '_');

            // libc's own caller of main (__libc_start_call_main) is a local symbol, and Debian's libc keeps only .dynsym.
            assertEquals(6, frames.size(), shown);
            assertEquals(List.of(exe + "!g", exe + "!f", exe + "!main"), names(d, frames.subList(0, 3)), shown);
            assertEquals("libc", d.symbols().moduleAt(frames.get(3).instruction()).orElseThrow().name(), shown);
            assertEquals("libc!__libc_start_main", names(d, frames).get(4), shown);
            StackFrame last = frames.getLast();
            assertEquals(exe + "!_start", name(d, last.instruction()), "the walk ends in _start, whose CFI ends the stack\n" + shown);
            assertEquals(0, last.returnAddress(), shown);

            assertEquals(StackFrame.Method.CONTEXT, frames.get(0).method());
            assertEquals(context.rip(), frames.get(0).instruction());
            assertEquals(context.rsp(), frames.get(0).stackPointer());
            StackFrame.Method expected = program.endsWith("nocfi") ? StackFrame.Method.FRAME_POINTER : StackFrame.Method.CALL_FRAME_INFORMATION;
            assertEquals(expected, frames.get(1).method(), shown);
            assertEquals(expected, frames.get(2).method(), shown);
            for (int i = 0; i + 1 < frames.size(); i++) {
                assertEquals(frames.get(i + 1).instruction(), frames.get(i).returnAddress(), "RetAddr is the caller's pc\n" + shown);
                assertTrue(Long.compareUnsigned(frames.get(i + 1).stackPointer(), frames.get(i).stackPointer()) > 0, shown);
                assertEquals(i, frames.get(i).number());
            }
        }
    }

    @Test
    void maxFramesCutsTheWalk() {
        try (LinuxDebuggee d = LinuxDebuggee.launch(TestPrograms.path("callchain-O2"))) {
            DebugEvent stop = d.runToBreakpointIn("g");
            List<StackFrame> frames = new CfiStackWalker(d.memory(), d.symbols()).walk(d.context(stop.threadId()), 2);
            assertEquals(List.of("callchain_O2!g", "callchain_O2!f"), names(d, frames));
            assertEquals("callchain_O2!main", name(d, frames.get(1).returnAddress() - 1), "f's RetAddr is still found");
        }
    }

    /** The function each frame is in (looked up at pc - 1 for return addresses, as the walker does). */
    private static List<String> names(LinuxDebuggee d, List<StackFrame> frames) {
        return frames.stream().map(f -> name(d, f.number() == 0 ? f.instruction() : f.instruction() - 1)).toList();
    }

    private static String name(LinuxDebuggee d, long address) {
        return d.symbols().symbolAt(address).map(Symbol::qualifiedName).orElse(Long.toHexString(address));
    }
}
