package dev.debugport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** `debugport sim` end to end: every Win32 event kind appears, in both output formats; bad arguments exit 2. */
class SimCommandTest {

    @Test
    void jsonOutputShowsEveryEventKind() {
        CliRun r = CliRun.of("sim", "--json");
        assertEquals(0, r.status(), r.err());
        Pattern kind = Pattern.compile("^\\{\"event\":\"([a-z_]+)\"", Pattern.MULTILINE);
        Matcher m = kind.matcher(r.out());
        Set<String> kinds = m.results().map(x -> x.group(1)).collect(Collectors.toSet());
        assertEquals(Set.of("create_process", "create_thread", "exit_thread", "exit_process", "load_dll", "unload_dll",
                "exception", "output_debug_string", "rip"), kinds);
        assertTrue(Arrays.stream(r.out().split("\n")).allMatch(l -> l.startsWith("{\"event\":") && l.endsWith("}")),
                "JSON Lines only, one event per line");
    }

    @Test
    void textOutputLooksLikeCdb() {
        CliRun r = CliRun.of("sim", "crash");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("ModLoad: 00000001`40000000 00000001`40[0-9a-f]{6}   C:\\\\sim\\\\crash\\.exe")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\([0-9a-f]+\\.[0-9a-f]+\\): Access violation - code c0000005 \\(first chance\\)")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\([0-9a-f]+\\.[0-9a-f]+\\): Access violation - code c0000005 \\(!!! second chance !!!\\)")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.contains("Attempt to read from address 0000000000000010")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\([0-9a-f]+\\.[0-9a-f]+\\): Exit process, code 0xc0000005")), r.out());
    }

    @Test
    void attachReportsTheFakeStartupEventsThenTheBreakin() {
        CliRun r = CliRun.of("sim", "--json", "loop");
        assertEquals(0, r.status(), r.err());
        List<String> kinds = r.out().lines().map(l -> l.replaceAll("^\\{\"event\":\"([a-z_]+)\".*", "$1")).toList();
        assertEquals("create_process", kinds.getFirst());
        assertTrue(r.out().lines().skip(1).findFirst().orElseThrow().contains("ntdll.dll"), "ntdll right after CREATE_PROCESS");
        assertTrue(r.out().contains("\"name\":\"Break instruction exception\""), "the break-in thread's breakpoint");
        assertEquals("exit_process", kinds.getLast());
    }

    @Test
    void anUnknownProgramIsOneLineAndStatus2() {
        CliRun r = CliRun.of("sim", "nosuch");
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("debugport: unknown program 'nosuch'"), r.err());
    }

    @Test
    void anUnknownOptionIsOneLineAndStatus2() {
        CliRun r = CliRun.of("--bogus");
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
