package dev.debugport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher's training workload, in a JVM of its own as the launcher runs it: it succeeds, prints nothing (its
 * attach found its target and ended at the break-in), and leaves no target behind.
 */
class StartupTrainingTest {
    @Test
    void theTrainingRunsRunAndAttachQuietly() throws Exception {
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                StartupTraining.class.getName());
        Process training = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            assertTrue(training.waitFor(60, TimeUnit.SECONDS), "the training ended");
            String output = new String(training.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("", output, "no output: the attach's break-in was seen");
            assertEquals(0, training.exitValue());
            assertTrue(ProcessHandle.allProcesses().noneMatch(StartupTrainingTest::isTrainingTarget), "no target left");
        } finally {
            training.destroyForcibly();
        }
    }

    private static boolean isTrainingTarget(ProcessHandle p) {
        return p.info().arguments().map(List::of).orElse(List.of()).contains(StartupTraining.class.getName());
    }
}
