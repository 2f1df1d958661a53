package dev.debugport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The plain `run` command lines read without picocli mean what picocli makes of them, and every other form is left
 * to picocli.
 */
class RunCommandLineTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "run -- /bin/true",
        "run -- prog a b c",
        "run --json -- prog",
        "run --kill-on-exit -- prog",
        "run --detach-on-exit --children --json -- prog --json -x",
        "run --children -- prog -- more",
        "run -- prog -i",
    })
    void plainFormsParseAsPicocliDoes(String line) {
        String[] args = line.split(" ");
        Optional<RunCommand> fast = RunCommandLine.parse(args);
        assertTrue(fast.isPresent(), "read without picocli: " + line);
        RunCommand picocli = new RunCommand();
        new CommandLine(picocli).parseArgs(Arrays.copyOfRange(args, 1, args.length));
        RunCommand ours = fast.get();
        assertEquals(List.of(picocli.json, picocli.killOnExit, picocli.detachOnExit, picocli.children),
                List.of(ours.json, ours.killOnExit, ours.detachOnExit, ours.children), line);
        assertEquals(picocli.command, ours.command, line);
        assertEquals(picocli.interactive.active(), ours.interactive.active(), line);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "sim",
        "attach -- 1",
        "run",
        "run /bin/true",
        "run --",
        "run --help -- prog",
        "run -h -- prog",
        "run -V -- prog",
        "run -i -- prog",
        "run -c g -- prog",
        "run --json --json -- prog",
        "run --kill-on-exit --detach-on-exit -- prog",
        "run --jso -- prog",
        "run --json=true -- prog",
        "run -- @args",
        "run --json @args -- prog",
    })
    void otherFormsAreLeftToPicocli(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        assertEquals(Optional.empty(), RunCommandLine.parse(args).map(r -> r.command), line);
    }
}
