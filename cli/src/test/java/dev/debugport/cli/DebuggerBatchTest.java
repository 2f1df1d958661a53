package dev.debugport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The debugger's batch mode (-c, -cf) end to end on both platforms: the built-in simulated programs, and the callchain
 * C program (main -> f -> g) on Linux with real symbols, disassembly and stacks.
 */
class DebuggerBatchTest {

    /** What one command printed: the text after its echoed prompt line, up to the next prompt. */
    private static String after(String out, String command) {
        int at = out.indexOf("> " + command + System.lineSeparator());
        assertTrue(at >= 0, "no echo of '" + command + "' in:\n" + out);
        int from = out.indexOf(System.lineSeparator(), at) + System.lineSeparator().length();
        Matcher next = Pattern.compile("^(\\d+:\\d{3}|NoTarget)> ", Pattern.MULTILINE).matcher(out);
        return next.find(from) ? out.substring(from, next.start()) : out.substring(from);
    }

    @Test
    void simBatchShowsBreakpointsRegistersStackAndModules() {
        CliRun r = CliRun.of("sim", "-c", "bl; g; r; k; lm; q");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("Break instruction exception - code 80000003 (first chance)"), r.out());
        assertTrue(r.out().contains("0:000> bl; g; r; k; lm; q"), "the batch line is echoed after the prompt: " + r.out());
        String g = after(r.out(), "bl; g; r; k; lm; q");
        assertTrue(g.contains("rip=0000000010020002"), "g stops at the program's int3: " + g);
        assertTrue(g.contains(" # Child-SP          RetAddr               Call Site"), g);
        assertTrue(g.contains("start             end                 module name"), g);
        assertTrue(g.contains("00000001`40000000 00000001`40100000   breakpoint"), g);
        assertTrue(g.contains("ntdll"), g);
        assertTrue(r.out().trim().endsWith("quit:"), r.out());
    }

    @Test
    void simAttachesToTheLoopProgram() {
        CliRun r = CliRun.of("sim", "-c", "~; |; g", "loop");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("Break instruction exception - code 80000003 (first chance)"), "the attach break-in: " + r.out());
        String threads = after(r.out(), "~; |; g");
        assertTrue(threads.lines().filter(l -> l.matches("[.# ]\\s+\\d+  Id: [0-9a-f]+\\.[0-9a-f]+ Teb: .*")).count() >= 1, threads);
        assertTrue(threads.contains("name: C:\\sim\\loop.exe"), threads);
        assertTrue(threads.contains("Exit process"), "g runs it to its exit: " + threads);
    }

    @Test
    void linuxBatchBreaksStepsAndRunsToTheExit() {
        CliRun r = CliRun.of("run", "-c", "bp g; g; k; r rip; db @rsp; u; p; t; gu; bl; bc *; g", "--", CliRun.program("callchain"));
        assertEquals(0, r.status(), r.err());
        String out = r.out();
        assertTrue(out.contains("ModLoad: "), out);
        assertTrue(out.contains("Breakpoint 0 hit"), out);
        assertTrue(out.contains("callchain!g:"), "the stop names the function: " + out);
        List<String> stack = out.lines().dropWhile(l -> !l.startsWith(" # Child-SP")).skip(1).limit(3).toList();
        assertEquals(3, stack.size(), out);
        assertTrue(stack.get(0).matches("00 [0-9a-f]{8}`[0-9a-f]{8} [0-9a-f]{8}`[0-9a-f]{8}     callchain!g"), stack.get(0));
        assertTrue(stack.get(1).matches("01 .*     callchain!f\\+0x[0-9a-f]+"), stack.get(1));
        assertTrue(stack.get(2).matches("02 .*     callchain!main\\+0x[0-9a-f]+"), stack.get(2));
        assertTrue(out.lines().anyMatch(l -> l.matches("rip=[0-9a-f]{16}")), "r rip: " + out);
        assertTrue(out.lines().anyMatch(l -> l.matches("[0-9a-f]{8}`[0-9a-f]{8}  ([0-9a-f]{2}[ -]){15}[0-9a-f]{2}  .{16}")), "db: " + out);
        assertTrue(out.lines().anyMatch(l -> l.matches("[0-9a-f]{8}`[0-9a-f]{8} 55\\s+push\\s+rbp")), "u shows g's first instruction: " + out);
        String gu = after(out, "bp g; g; k; r rip; db @rsp; u; p; t; gu; bl; bc *; g");
        assertTrue(gu.contains("callchain!f+0x"), "gu returns into f: " + gu);
        assertTrue(out.contains("callchain!g\n") || out.lines().anyMatch(l -> l.matches(" 0 e  [0-9a-f`]{17}     0001 \\(0001\\)  0:\\*\\*\\*\\* callchain!g")),
                "bl: " + out);
        assertTrue(out.contains("Exit process"), out);
        assertTrue(out.contains("No runnable debuggees left"), out);
    }

    @Test
    void linuxBadInputIsOneLineEach(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cmds.txt");
        Files.writeString(file, "zz\ndb nosuch!symbol\nx callchain!ma*\nbp callchain!nothere\n? callchain!main\n");
        CliRun r = CliRun.of("run", "-cf", file.toString(), "--", CliRun.program("callchain"));
        assertEquals(0, r.status(), r.err());
        assertEquals(1, after(r.out(), "zz").lines().count(), r.out());
        assertTrue(after(r.out(), "db nosuch!symbol").startsWith("Couldn't resolve error at 'nosuch!symbol'"), r.out());
        assertTrue(after(r.out(), "x callchain!ma*").matches("(?s)[0-9a-f]{8}`[0-9a-f]{8} callchain!main\\R.*"), r.out());
        assertTrue(after(r.out(), "bp callchain!nothere").contains("deferred"), r.out());
        assertTrue(after(r.out(), "? callchain!main").startsWith("Evaluate expression: "), r.out());
        assertFalse(r.out().contains("Exception in thread"), r.out());
    }

    @Test
    void aMissingCommandFileIsStatus2() {
        CliRun r = CliRun.of("sim", "-cf", "/nonexistent/cmds");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("debugport: cannot read /nonexistent/cmds"), r.err());
    }
}
