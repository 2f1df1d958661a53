package dev.debugport.cli.interactive;

import dev.debugport.debugger.TargetControl;
import dev.debugport.debugger.commands.Arguments;
import dev.debugport.kernel.UserPointer;
import dev.debugport.linux.platform.LinuxProgram;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.SpawnOptions;
import dev.debugport.linux.ptrace.SysResult;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import java.util.ArrayList;
import java.util.List;

/** .create and the Linux detection points for the debugger on the Linux platform. */
public final class LinuxTargetControl implements TargetControl {
    /** .create: the words of the command line ("quoted" ones kept whole) as argv, stdio passed through. */
    @Override
    public String create(Kernel32 k32, String commandLine) {
        List<String> argv = new ArrayList<>();
        for (String w : Arguments.words(commandLine)) {
            argv.add(Arguments.isQuoted(w) ? Arguments.unquote(w) : w);
        }
        UserPointer<ProcessInformation> info = UserPointer.empty();
        if (!k32.createProcess(new LinuxProgram(argv, SpawnOptions.defaults()), DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS, info)) {
            return "Unable to create process '" + commandLine + "', Win32 error 0n" + k32.getLastError();
        }
        k32.closeHandle(info.get().process());
        k32.closeHandle(info.get().thread());
        return null;
    }

    /** The TracerPid line of /proc/PID/status: what Linux anti-debug code reads (A.3, "Linux analogs"). */
    @Override
    public List<String[]> platformDetectionPoints(int processId) {
        String value = switch (Procfs.tracerPid(processId)) {
            case SysResult.Ok<Integer> ok -> ok.value() == 0 ? "0 (not traced)" : ok.value() + " (traced: the debugger's tracer)";
            case SysResult.Err<Integer> e -> "unreadable (" + e.errno().name() + ")";
        };
        return List.<String[]>of(new String[] {"/proc/" + processId + "/status TracerPid", value});
    }
}
