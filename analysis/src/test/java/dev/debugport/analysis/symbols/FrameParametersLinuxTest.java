package dev.debugport.analysis.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.analysis.LinuxDebuggee;
import dev.debugport.analysis.StackFrame;
import dev.debugport.analysis.TestPrograms;
import dev.debugport.analysis.unwind.CfiStackWalker;
import dev.debugport.nt.DebugEvent;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * kp's parameters of a real process stopped at the int3 in inner (main -> outer -> middle -> inner,
 * src/test/c/params.c), read from the program's DWARF at each frame the CFI walker found.
 */
class FrameParametersLinuxTest {

    @Test
    void everyFrameOfTheUnoptimizedProgramShowsItsParameters() {
        for (String program : List.of("params", "params-dwarf4", "params-O2")) {
            try (LinuxDebuggee d = LinuxDebuggee.launch(TestPrograms.path(program))) {
                List<Optional<List<String>>> shown = parameters(d);
                String all = shown.stream().map(Object::toString).collect(Collectors.joining("\n"));
                System.out.println(all);
            }
        }
    }

    private static List<Optional<List<String>>> parameters(LinuxDebuggee d) {
        DebugEvent stop = d.runToBreakpointIn("inner");
        List<StackFrame> frames = new CfiStackWalker(d.memory(), d.symbols()).walk(d.context(stop.threadId()), 16);
        FrameParameters parameters = new FrameParameters(d.symbols(), d.memory());
        return frames.stream().map(parameters::of).toList();
    }
}
