package dev.debugport.debugger;

import dev.debugport.win32.Kernel32;
import java.util.List;

/** What the debugger leaves to the platform it runs on: how .create names a program, and its own detection points. */
public interface TargetControl {
    /**
     * .create: starts {@code commandLine} under the debugger (CreateProcess with DEBUG_ONLY_THIS_PROCESS).
     *
     * @return null on success, else the one-line reason
     */
    String create(Kernel32 k32, String commandLine);

    /**
     * Detection points only this platform has, for !antidebug, as {name, value} pairs (Linux: the TracerPid line of
     * /proc/PID/status).
     */
    List<String[]> platformDetectionPoints(int processId);
}
