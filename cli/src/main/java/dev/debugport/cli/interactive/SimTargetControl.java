package dev.debugport.cli.interactive;

import dev.debugport.debugger.TargetControl;
import dev.debugport.kernel.UserPointer;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.sim.SimProgram;
import dev.debugport.sim.programs.BuiltInPrograms;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import java.util.List;
import java.util.Optional;

/** .create on the simulated machine: the command line names a built-in program. No platform-only detection points. */
public final class SimTargetControl implements TargetControl {
    @Override
    public String create(Kernel32 k32, String commandLine) {
        Optional<SimProgram> program = BuiltInPrograms.byName(commandLine.trim());
        if (program.isEmpty()) {
            return "No built-in program '" + commandLine.trim() + "' (known: " + String.join(", ", BuiltInPrograms.all().keySet()) + ")";
        }
        UserPointer<ProcessInformation> info = UserPointer.empty();
        if (!k32.createProcess(program.get(), DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS, info)) {
            return "Unable to create process '" + commandLine + "', Win32 error 0n" + k32.getLastError();
        }
        k32.closeHandle(info.get().process());
        k32.closeHandle(info.get().thread());
        return null;
    }

    @Override
    public List<String[]> platformDetectionPoints(int processId) {
        return List.of();
    }
}
