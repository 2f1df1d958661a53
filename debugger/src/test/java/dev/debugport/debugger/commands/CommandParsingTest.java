package dev.debugport.debugger.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.debugger.breakpoints.Breakpoint;
import dev.debugport.debugger.breakpoints.DebugRegisters;
import dev.debugport.debugger.format.Hex;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CommandParsingTest {
    private final CommandRegistry registry = Commands.all();

    @Test
    void aLineSplitsAtSemicolonsOutsideQuotes() {
        assertEquals(List.of("bp g \"r rax; g\"", "g", "k"), Arguments.splitCommands("bp g \"r rax; g\"; g;; k ;"));
        assertEquals(List.of("ea 1000 \"a\\\"b;c\""), Arguments.splitCommands("ea 1000 \"a\\\"b;c\""));
    }

    @Test
    void wordsKeepQuotedStrings() {
        assertEquals(List.of("bp", "prog!f", "3", "\"r; g\""), Arguments.words("bp  prog!f 3 \"r; g\""));
        assertEquals("r; g", Arguments.unquote("\"r; g\""));
    }

    @Test
    void commandNamesSplitAsCdbReadsThem() {
        assertArrayEquals(new String[] {"db", "@rsp"}, registry.split("db@rsp"));
        assertArrayEquals(new String[] {"bc", "*"}, registry.split("bc*"));
        assertArrayEquals(new String[] {"~", "1s"}, registry.split("~1s"));
        assertArrayEquals(new String[] {"|", "0s"}, registry.split("|0s"));
        assertArrayEquals(new String[] {"?", "1+2"}, registry.split("?1+2"));
        assertArrayEquals(new String[] {".logopen", "/tmp/x.log"}, registry.split(".logopen /tmp/x.log"));
        assertArrayEquals(new String[] {"!peb", ""}, registry.split("!peb"));
        assertArrayEquals(new String[] {"gh", ""}, registry.split("gH"));
        assertArrayEquals(new String[] {"dqs", "@rsp L4"}, registry.split("dqs @rsp L4"));
        assertArrayEquals(new String[] {"t", "10000"}, registry.split("t 10000"));
    }

    @Test
    void everyCommandTheIssueListsIsRegisteredWithAUsageLine() {
        for (String name : List.of("g", "gh", "gn", "p", "t", "pc", "tc", "gu", "bp", "bu", "bm", "bl", "bc", "bd", "be", "ba",
                "r", "db", "dw", "dd", "dq", "da", "du", "dps", "dqs", "eb", "ew", "ed", "eq", "ea", "eu", "s", "lm", "x", "ln",
                "~", "|", "k", "kb", "kp", "u", "uf", "sx", "sxe", "sxd", "sxn", "sxi", "sxr", ".detach", ".kill", ".attach",
                ".create", ".childdbg", "!peb", "!antidebug", ".logopen", ".logclose", "?", "q", "qd")) {
            Command c = registry.lookup(name).orElseThrow(() -> new AssertionError("no command " + name));
            assertTrue(c.usage(name).startsWith(name.equals("~") || name.equals("|") ? name : name.substring(0, 1)), name + ": " + c.usage(name));
        }
    }

    @Test
    void pointersPrintWithTheBacktick() {
        assertEquals("00007ffa`00001022", Hex.pointer(0x7ffa00001022L));
        assertEquals("ffffffff`ffffffff", Hex.pointer(-1));
    }

    @Test
    void debugRegistersEncodeAddressAccessAndLength() {
        Breakpoint write4 = Breakpoint.hardware(0, null, "x", 0x601040, Breakpoint.Access.WRITE, 4, 1, 1, null);
        Breakpoint exec = Breakpoint.hardware(1, null, "f", 0x401126, Breakpoint.Access.EXECUTE, 1, 0, 1, null);
        Breakpoint rw8 = Breakpoint.hardware(2, null, "y", 0x601048, Breakpoint.Access.READ_WRITE, 8, 3, 1, null);
        long[] regs = DebugRegisters.encode(List.of(write4, exec, rw8));
        assertEquals(0x401126, regs[0]);
        assertEquals(0x601040, regs[1]);
        assertEquals(0, regs[2]);
        assertEquals(0x601048, regs[3]);
        long dr7 = regs[4];
        assertEquals(1L | 1L << 2 | 1L << 6, dr7 & 0xFF, "L0, L1 and L3 enabled");
        assertEquals(0b00_00, (dr7 >>> 16) & 0xF, "slot 0: execute, 1 byte");
        assertEquals(0b11_01, (dr7 >>> 20) & 0xF, "slot 1: write, 4 bytes");
        assertEquals(0b10_11, (dr7 >>> 28) & 0xF, "slot 3: read/write, 8 bytes");
        write4.setEnabled(false);
        assertEquals(0, DebugRegisters.encode(List.of(write4))[4], "a disabled breakpoint leaves DR7 clear");
    }

    @Test
    void passCountsRunDownToOneAndStay() {
        Breakpoint b = Breakpoint.software(0, null, "f", false, OptionalLong.of(0x1000), 3, null);
        assertEquals(false, b.countHit());
        assertEquals(false, b.countHit());
        assertEquals(true, b.countHit());
        assertEquals(true, b.countHit());
        assertEquals(1, b.remaining());
    }
}
