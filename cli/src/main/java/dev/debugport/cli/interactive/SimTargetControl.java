package dev.debugport.cli.interactive;

import dev.debugport.debugger.TargetControl;
import dev.debugport.sim.SimProgram;
import dev.debugport.sim.programs.BuiltInPrograms;
import java.util.List;
import java.util.Optional;

/** .create on the simulated machine: the command line names a built-in program. No platform-only detection points. */
public final class SimTargetControl implements TargetControl {
    @Override
    public Object program(String commandLine) {
        Optional<SimProgram> program = BuiltInPrograms.byName(commandLine.trim());
        if (program.isEmpty()) {
            throw new IllegalArgumentException("No built-in program '" + commandLine.trim() + "' (known: "
                    + String.join(", ", BuiltInPrograms.all().keySet()) + ")");
        }
        return program.get();
    }

    @Override
    public List<String[]> platformDetectionPoints(int processId) {
        return List.of();
    }
}
