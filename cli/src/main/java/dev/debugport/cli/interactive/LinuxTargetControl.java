package dev.debugport.cli.interactive;

import dev.debugport.debugger.TargetControl;
import dev.debugport.debugger.commands.Arguments;
import dev.debugport.linux.platform.LinuxProgram;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.SpawnOptions;
import dev.debugport.linux.ptrace.SysResult;
import java.util.ArrayList;
import java.util.List;

/** .create and the Linux detection points for the debugger on the Linux platform. */
public final class LinuxTargetControl implements TargetControl {
    /** .create: the words of the command line ("quoted" ones kept whole) as argv, stdio passed through. */
    @Override
    public Object program(String commandLine) {
        List<String> argv = new ArrayList<>();
        for (String w : Arguments.words(commandLine)) {
            argv.add(Arguments.isQuoted(w) ? Arguments.unquote(w) : w);
        }
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("Usage: .create COMMAND-LINE");
        }
        return new LinuxProgram(argv, SpawnOptions.defaults());
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
