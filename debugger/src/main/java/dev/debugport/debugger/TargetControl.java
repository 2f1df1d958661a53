package dev.debugport.debugger;

import dev.debugport.kernel.UserPointer;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import java.util.List;

/** What the debugger leaves to the platform it runs on: how .create names a program, and its own detection points. */
public interface TargetControl {
    /**
     * The program object the platform's CreateProcess takes for {@code commandLine}.
     *
     * @throws IllegalArgumentException with a one-line reason when the command line names no program here
     */
    Object program(String commandLine);

    /**
     * .create: starts {@code commandLine} under the debugger (CreateProcess with DEBUG_ONLY_THIS_PROCESS); the
     * process and thread handles it returns are closed (the debugger gets its own from CREATE_PROCESS).
     *
     * @return null on success, else the one-line reason
     */
    default String create(Kernel32 k32, String commandLine) {
        Object program;
        try {
            program = program(commandLine);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        UserPointer<ProcessInformation> info = UserPointer.empty();
        if (!k32.createProcess(program, DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS, info)) {
            return "Unable to create process '" + commandLine + "', Win32 error 0n" + k32.getLastError();
        }
        k32.closeHandle(info.get().process());
        k32.closeHandle(info.get().thread());
        return null;
    }

    /**
     * Detection points only this platform has, for !antidebug, as {name, value} pairs (Linux: the TracerPid line of
     * /proc/PID/status).
     */
    List<String[]> platformDetectionPoints(int processId);
}
