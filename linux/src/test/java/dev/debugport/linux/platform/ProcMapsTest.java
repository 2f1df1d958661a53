package dev.debugport.linux.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.linux.TestPrograms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /proc/pid/maps of a program that holds still (threads, blocked after saying "ready": two thread stacks and their
 * guard pages, the program, ld.so, libc, anonymous memory), checked against a plain field split of each line.
 */
class ProcMapsTest {
    private Process sleeper;

    @BeforeEach
    void start() throws IOException {
        sleeper = new ProcessBuilder(TestPrograms.path("threads"), "2", "block").start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(sleeper.getInputStream()))) {
            assertEquals("ready", out.readLine());
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        sleeper.destroyForcibly().waitFor();
    }

    private List<ProcMaps.Mapping> expected(int pid) throws IOException {
        List<ProcMaps.Mapping> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/maps"))) {
            String[] f = line.trim().split("\\s+", 6);
            String[] range = f[0].split("-");
            out.add(new ProcMaps.Mapping(Long.parseUnsignedLong(range[0], 16), Long.parseUnsignedLong(range[1], 16), f[1],
                    Long.parseUnsignedLong(f[2], 16), f.length == 6 ? f[5] : ""));
        }
        return out;
    }

    @Test
    void everyLineIsParsedAsItsFieldsSay() throws IOException {
        int pid = (int) sleeper.pid();
        List<ProcMaps.Mapping> want = expected(pid);
        assertEquals(want, ProcMaps.read(pid).mappings());
        assertTrue(want.stream().anyMatch(m -> m.path().equals(TestPrograms.path("threads"))), "the program is mapped");
        assertTrue(want.stream().anyMatch(m -> m.path().isEmpty()), "and anonymous memory");
    }

    @Test
    void findGivesTheMappingHoldingAnAddress() throws IOException {
        int pid = (int) sleeper.pid();
        for (ProcMaps.Mapping m : expected(pid)) {
            assertEquals(Optional.of(m), ProcMaps.find(pid, m.start()));
            assertEquals(Optional.of(m), ProcMaps.find(pid, m.end() - 1));
        }
        assertFalse(ProcMaps.find(pid, 0).isPresent(), "nothing is mapped at 0");
    }

    @Test
    void aProcessThatIsGoneHasNoMappings() throws InterruptedException {
        int pid = (int) sleeper.pid();
        sleeper.destroyForcibly().waitFor();
        assertEquals(List.of(), ProcMaps.read(pid).mappings());
        assertEquals(Optional.empty(), ProcMaps.find(pid, 0x1000));
    }
}
