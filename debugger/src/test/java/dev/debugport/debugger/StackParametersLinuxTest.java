package dev.debugport.debugger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * kp on a real Linux program stopped at the int3 in inner (analysis's src/test/c/params.c: main -> outer -> middle ->
 * inner): with -g every frame of the program shows its parameters, libc's frames (no DWARF) show as k shows them;
 * without -g, kp prints what k prints.
 */
class StackParametersLinuxTest {
    private static final String POINTER = "0x[0-9a-f]{8}`[0-9a-f]{8}";
    private static final String FRAME = "[0-9a-f]{2} [0-9a-f]{8}`[0-9a-f]{8} [0-9a-f]{8}`[0-9a-f]{8}     ";

    @Test
    void kpShowsEachFramesParametersFromDwarf() {
        try (LinuxDebugging s = new LinuxDebugging("params")) {
            String stop = s.run("g");
            assertTrue(stop.contains("Break instruction exception - code 80000003 (first chance)"), stop);
            List<String> kp = s.run("kp").lines().toList();
            assertEquals(" # Child-SP          RetAddr               Call Site", kp.get(0), String.join("\n", kp));
            assertMatches(FRAME + "params!inner\\(int n = 0n-5, count_t u = 0n7, char c = 0n65 'A', const char \\* s = " + POINTER
                    + ", struct point p = " + POINTER + ", double d = 2.5, _Bool flag = true\\)\\+0x[0-9a-f]+", kp.get(1));
            assertMatches(FRAME + "params!middle\\(long long unsigned int big = 0n4886718345, short int neg = 0n-2, "
                    + "const volatile long int \\* where = " + POINTER + "\\)\\+0x[0-9a-f]+", kp.get(2));
            assertMatches(FRAME + "params!outer\\(int argc = 0n1\\)\\+0x[0-9a-f]+", kp.get(3));
            assertMatches(FRAME + "params!main\\(int argc = 0n1, char \\*\\* argv = " + POINTER + "\\)\\+0x[0-9a-f]+", kp.get(4));
            assertMatches(FRAME + "libc!__libc_start_main\\+0x[0-9a-f]+", kp.stream().filter(l -> l.contains("__libc_start_main")).findFirst().orElse(""));
            assertTrue(kp.stream().skip(5).noneMatch(l -> l.contains("(")), "no DWARF for libc or _start's frames: " + kp);

            List<String> k = s.run("k").lines().toList();
            assertEquals(kp.size(), k.size());
            for (int i = 1; i < k.size(); i++) {
                assertEquals(kp.get(i).replaceAll("\\(.*\\)", ""), k.get(i), "kp is k with the parameter lists");
            }
            String where = kp.get(2).replaceAll(".* where = (\\S+)\\).*", "$1").replace("0x", "");
            assertEquals(s.run("? params!sink").replaceAll("(?s).*= ([0-9a-f`]+).*", "$1").strip(), where, "middle's pointer is &sink");
        }
    }

    @Test
    void kpOfAProgramWithoutDebugInformationIsK() {
        try (LinuxDebugging s = new LinuxDebugging("params-nodebug")) {
            s.run("g");
            String k = s.run("k");
            assertTrue(k.contains("params_nodebug!inner"), k);
            assertEquals(k, s.run("kp"));
        }
    }

    private static void assertMatches(String regex, String line) {
        assertTrue(line.matches(regex), "expected /" + regex + "/ but was: " + line);
    }
}
