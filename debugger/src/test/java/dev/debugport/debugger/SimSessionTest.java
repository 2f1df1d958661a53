package dev.debugport.debugger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine on the simulated machine, with test doubles for symbols and disassembly. breakpoint.exe runs
 * {@code nop; int3; nop; nop; ret} at 0x10020000, then {@code nop; nop; ret} from +2 with its own trap flag set.
 */
class SimSessionTest {
    private static final String INT3_STOP = "(?s).*Break instruction exception - code 80000003 \\(first chance\\).*";

    @Test
    void stopsAtTheInitialBreakpointThenAtTheProgramsInt3() {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            assertTrue(s.all().contains("ModLoad: 00000001`40000000 00000001`40100000   C:\\sim\\breakpoint.exe"), s.all());
            assertTrue(s.all().matches(INT3_STOP), s.all());
            assertEquals("0:000> ", s.debugger.prompt());
            String out = s.run("g");
            assertTrue(out.matches(INT3_STOP), out);
            assertTrue(out.contains("rip=0000000010020002"), "after the int3: " + out);
            assertTrue(out.contains("00000000`10020002 90              nop"), out);
            String lm = s.run("lm");
            assertTrue(lm.startsWith("start             end                 module name"), lm);
            assertTrue(lm.contains("00000001`40000000 00000001`40100000   breakpoint"), lm);
        }
    }

    @Test
    void traceStepsOneInstruction() {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            s.run("g");
            String out = s.run("t");
            assertTrue(out.contains("rip=0000000010020003"), out);
            assertFalse(out.contains("exception"), "a debugger's own step is not reported as an exception: " + out);
        }
    }

    @Test
    void aStepAfterEbShowsTheNewInstruction() {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            s.run("g");
            assertTrue(s.run("t").contains("00000000`10020003 90              nop"), "shown (and decoded) once");
            s.run("r rip=10020002; eb 10020003 c3");
            String out = s.run("t");
            assertTrue(out.contains("rip=0000000010020003"), out);
            assertTrue(out.contains("00000000`10020003 c3              ret"), "the byte eb wrote, not the nop seen before: " + out);
        }
    }

    @Test
    void breakpointHitsRunsItsCommandAndLeavesMemoryClean() {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            s.run("g");
            s.run("bp 10020003 \"r rip\"");
            assertTrue(s.run("bl").matches(" 0 e  00000000`10020003     0001 \\(0001\\)  0:\\*\\*\\*\\* 0000000010020003 \"r rip\"\\R"), s.run("bl"));
            String hit = s.run("g");
            assertTrue(hit.startsWith("Breakpoint 0 hit"), hit);
            assertTrue(hit.contains("rip=0000000010020003"), hit);
            assertTrue(hit.trim().endsWith("rip=0000000010020003"), "the command string ran after the stop: " + hit);
            String bytes = s.run("db 10020000 L5");
            assertTrue(bytes.startsWith("00000000`10020000  90 cc 90 90 c3"), "the int3 is out while stopped: " + bytes);
            String next = s.run("g");
            assertTrue(next.contains("Single step exception - code 80000004 (first chance)"), "the program's own trap flag: " + next);
            String end = s.run("g");
            assertFalse(end.contains("Breakpoint 0 hit"), "g from a breakpoint steps over it: " + end);
            assertTrue(end.contains("No runnable debuggees left"), end);
        }
    }

    @Test
    void eventFiltersDecideWhatBreaks() {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            s.run("sxn bpe; sxi sse");
            String out = s.run("g");
            assertTrue(out.contains("Break instruction exception - code 80000003 (first chance)"), "sxn prints: " + out);
            assertFalse(out.contains("Single step"), "sxi is silent: " + out);
            assertTrue(out.contains("Exit process"), out);
            assertTrue(out.contains("No runnable debuggees left"), out);
            assertEquals("No runnable debuggees", s.run("g").trim());
            assertEquals("NoTarget> ", s.debugger.prompt());
        }
    }

    @Test
    void anEventCommandRunsAndTheTargetGoesOn() {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            s.run("sxn -c \"? 0n42\" bpe");
            assertTrue(s.run("sx").contains(" bpe - Break instruction exception - output - handled"));
            String out = s.run("g");
            assertTrue(out.contains("Evaluate expression: 42 = 00000000`0000002a"), out);
            assertTrue(out.contains("Single step exception"), "went on after the command to the next break: " + out);
            s.run("sxr");
            assertTrue(s.run("sx").contains(" bpe - Break instruction exception - break - handled"));
        }
    }

    @Test
    void badInputIsOneLineAndTheSessionGoesOn() {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            for (String bad : List.of("zz", "db xyz!!", "r nosuch", "ba q9 0", "bp 1000 \"unterminated", "bc 77", "~9s",
                    "u 0", "k 0", "sxe nosuchevent", "eb 10020000 1ff", "x", ".childdbg 7", "t -1")) {
                String out = s.run(bad);
                assertEquals(1, out.lines().count(), bad + " -> " + out);
            }
            assertEquals("0:000> ", s.debugger.prompt());
            assertTrue(s.run("? 1+1").contains("Evaluate expression: 2"));
        }
    }

    @Test
    void unreadableMemoryIsQuestionMarks() {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            assertEquals("00000000`00000000  ?? ?? ?? ?? ?? ?? ?? ??-?? ?? ?? ?? ?? ?? ?? ??  ????????????????",
                    s.run("db 0 L10").trim());
            assertEquals("00000000`00000000  ???????? ????????", s.run("dd 0 L2").trim());
            assertEquals("00000000`00000000  ????????`????????", s.run("dq 0 L1").trim());
        }
    }

    @Test
    void memoryCanBeWrittenSearchedAndDisplayed() {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            s.run("g");
            s.run("ea 10020100 \"hello\"; eb 10020105 0; ed 10020108 12345678");
            assertEquals("00000000`10020100  \"hello\"", s.run("da 10020100").trim());
            assertTrue(s.run("dd 10020108 L1").startsWith("00000000`10020108  12345678"));
            assertTrue(s.run("s -a 10020000 L200 \"llo\"").startsWith("00000000`10020102  6c 6c 6f 00"), s.run("s -a 10020000 L200 \"llo\""));
            assertTrue(s.run("s -d 10020000 L200 12345678").startsWith("00000000`10020108  78 56 34 12"));
            assertEquals("rax=000000000000002a", s.run("r rax=0n42; r rax").trim());
        }
    }

    @Test
    void killEndsTheProcess() {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            String out = s.run(".kill");
            assertTrue(out.contains("Exit process"), out);
            assertTrue(out.contains("No runnable debuggees left"), out);
            assertEquals("NoTarget> ", s.debugger.prompt());
        }
    }

    /** q right after .create: the new process's CREATE_PROCESS comes after q began, and it must end too. */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a regression hangs in WaitForDebugEvent
    void quitEndsEveryDebuggeeEvenOneCreatedButNotYetReported() {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            assertEquals("Create will proceed with next execution", s.run(".create loop").trim());
            assertEquals(0, s.run(".create nosuch").indexOf("No built-in program 'nosuch'"));
            String out = s.run("q");
            assertTrue(out.contains("quit:"), out);
            assertEquals(2, out.split("Exit process", -1).length - 1, "both processes exited: " + out);
            assertTrue(s.debugger.finished());
        }
    }

    @Test
    void detachLeavesTheProcessToItself() {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            assertEquals("Detached", s.run(".detach").trim());
            assertEquals("NoTarget> ", s.debugger.prompt());
            assertEquals("No runnable debuggees", s.run("g").trim());
        }
    }

    @Test
    void childDebuggingFollowsProcessDebugFlags() {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            assertEquals("Processes created by the current process will not be debugged", s.run(".childdbg").trim());
            assertEquals("Processes created by the current process will be debugged", s.run(".childdbg 1").trim());
        }
    }

    @Test
    void hardwareBreakpointsUseFourSlotsAndDeferredOnesWait() {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            s.run("ba w4 10020100; ba r8 10020108; ba e1 10020002; ba w1 10020110");
            assertTrue(s.run("ba w2 10020120").startsWith("Too many hardware breakpoints"));
            assertTrue(s.run("ba w4 10020101").contains("aligned"), "misaligned watch");
            s.run("bu nosuch!sym");
            String bl = s.run("bl");
            assertTrue(bl.contains(" 1 e  00000000`10020108 r 8     0001 (0001)  0:****"), bl);
            assertTrue(bl.contains(" 4 eu                       0001 (0001) (nosuch!sym)"), bl);
            s.run("bd 0 1; bc 2");
            bl = s.run("bl");
            assertTrue(bl.contains(" 0 d  00000000`10020100 w 4"), bl);
            assertFalse(bl.contains(" 2 "), bl);
        }
    }

    @Test
    void anExecuteHardwareBreakpointHitsAndGoGoesOnPastIt() {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            s.run("ba e1 10020003");
            String int3 = s.run("g");
            assertTrue(int3.matches(INT3_STOP), int3);
            String hit = s.run("g");
            assertTrue(hit.startsWith("Breakpoint 0 hit"), hit);
            assertTrue(hit.contains("rip=0000000010020003"), "stopped before the instruction: " + hit);
            String next = s.run("g");
            assertFalse(next.contains("Breakpoint 0 hit"), "g passes the breakpoint it sits on: " + next);
            assertTrue(next.contains("Single step exception - code 80000004 (first chance)"), "the program's own trap flag: " + next);
            String end = s.run("g");
            assertTrue(end.contains("No runnable debuggees left"), end);
        }
    }

    @Test
    void dataHardwareBreakpointsHitOnTheProgramsStoreOfItsCode() {
        for (String watch : List.of("ba w4 10020000", "ba r4 10020004")) {
            try (SimDebugging s = new SimDebugging("breakpoint")) {
                s.run(watch);
                String hit = s.run("g");
                assertTrue(hit.startsWith("Breakpoint 0 hit"), watch + ": " + hit);
                assertTrue(s.run("db 10020000 L5").startsWith("00000000`10020000  90 cc 90 90 c3"), "a trap: the store is done");
                String next = s.run("g");
                assertTrue(next.matches(INT3_STOP), watch + " then the program's int3: " + next);
            }
        }
    }

    @Test
    void pebAndAntiDebugShowTheDetectionPoints() {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            String peb = s.run("!peb");
            assertTrue(peb.startsWith("PEB at "), peb);
            assertTrue(peb.contains("BeingDebugged:            Yes"), peb);
            String ad = s.run("!antidebug");
            assertTrue(ad.lines().anyMatch(l -> l.matches("PEB\\.BeingDebugged \\(IsDebuggerPresent\\) +1")), ad);
            assertTrue(ad.lines().anyMatch(l -> l.matches("PEB\\.NtGlobalFlag +0x70 .*")), "launched under the debugger: " + ad);
            assertTrue(ad.lines().anyMatch(l -> l.matches("ProcessDebugPort .* +0xffffffffffffffff")), ad);
            assertTrue(ad.contains("ThreadHideFromDebugger"), ad);
        }
    }

    @Test
    void logFileGetsWhatIsPrinted(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            java.nio.file.Path log = dir.resolve("session.log");
            s.run(".logopen " + log);
            s.run("? 0n7");
            assertTrue(s.run(".logclose").startsWith("Closing open log file"));
            s.run("? 0n8");
            String text = java.nio.file.Files.readString(log);
            assertTrue(text.contains("Evaluate expression: 7"), text);
            assertFalse(text.contains("Evaluate expression: 8"), text);
        }
    }
}
