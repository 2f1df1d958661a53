package dev.debugport.cli;

import dev.debugport.cli.interactive.FrontEnd;
import dev.debugport.cli.interactive.InteractiveOptions;
import dev.debugport.cli.interactive.LinuxTargetControl;
import dev.debugport.cli.output.EventPrinter;
import dev.debugport.cli.session.DebugLoop;
import dev.debugport.kernel.UserPointer;
import dev.debugport.linux.platform.LinuxProgram;
import dev.debugport.linux.ptrace.SpawnOptions;
import dev.debugport.linux.ptrace.Spawner;
import dev.debugport.linux.ptrace.SysResult;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.win32.ProcessInformation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `debugport run -- PROGRAM [ARGS]`: runs a Linux program under the Win32 debugger (CreateProcess with
 * DEBUG_ONLY_THIS_PROCESS, or DEBUG_PROCESS with --children) on the Linux platform, its stdin, stdout and stderr
 * passed through, and prints the event stream. Exits with the program's exit status (128 + N when signal N killed
 * it, as shells report it). A program that cannot be found or executed is one line on stderr and status 2. Ctrl-C
 * goes to the program (it is in the same process group); SIGTERM ends the session: the program is killed (the
 * default, --kill-on-exit) or detached (--detach-on-exit) and the status is 128 + 15.
 */
@Command(name = RunCommand.NAME, mixinStandardHelpOptions = true,
        description = "Run a Linux program under the debugger and print its debug events; exit with its exit status.")
final class RunCommand implements Callable<Integer> {
    /** The command's name and its options' names (RunCommandLine reads them too). */
    static final String NAME = "run";
    static final String JSON = "--json";
    static final String KILL_ON_EXIT = "--kill-on-exit";
    static final String DETACH_ON_EXIT = "--detach-on-exit";
    static final String CHILDREN = "--children";

    @Option(names = JSON, description = "Print JSON Lines (one event per line) instead of cdb-like text.")
    boolean json;

    @Option(names = KILL_ON_EXIT, description = "If debugport is stopped (SIGTERM), kill the program (default).")
    boolean killOnExit;

    @Option(names = DETACH_ON_EXIT, description = "If debugport is stopped (SIGTERM), detach and let the program run.")
    boolean detachOnExit;

    @Option(names = CHILDREN, description = "Debug the program's child processes too (DEBUG_PROCESS).")
    boolean children;

    @Parameters(arity = "1..*", paramLabel = "PROGRAM", description = "The program and its arguments (after --).")
    List<String> command = new ArrayList<>();

    @CommandLine.Mixin
    InteractiveOptions interactive = new InteractiveOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (killOnExit && detachOnExit) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--kill-on-exit and --detach-on-exit exclude each other");
        }
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /**
     * Runs the program as the options say (they were checked: --kill-on-exit and --detach-on-exit are not both set)
     * and returns the exit status.
     */
    int run(PrintWriter out, PrintWriter err) {
        String program = command.getFirst();
        SysResult<Path> resolved = Spawner.resolveProgram(program, SpawnOptions.defaults());
        if (resolved instanceof SysResult.Err<Path> e) {
            err.println("debugport: cannot run " + program + ": " + e.errno().message() + " (" + e.errno().name() + ")");
            return 2;
        }
        if (interactive.active()) {
            return debugInteractively(out, err, program);
        }
        try (LinuxSession s = new LinuxSession(Set.of("TERM"), Set.of("INT"))) {
            s.k32.dbgUi().connectToDbg();
            s.k32.debugSetProcessKillOnExit(!detachOnExit);
            UserPointer<ProcessInformation> info = UserPointer.empty();
            int flags = children ? DebugCreationFlags.DEBUG_PROCESS : DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS;
            if (!s.k32.createProcess(new LinuxProgram(command, SpawnOptions.defaults()), flags, info)) {
                err.println("debugport: cannot run " + program + ": CreateProcess failed with Win32 error " + s.k32.getLastError());
                return 2;
            }
            int pid = info.get().processId();
            s.k32.closeHandle(info.get().process());
            s.k32.closeHandle(info.get().thread());
            // Not String.format: its %d loads the locale's number symbols, ~7 ms of a short run's start-up.
            note(out, "running " + String.join(" ", command) + " (pid " + pid + " = 0x" + Integer.toHexString(pid) + ")");
            DebugLoop loop = new DebugLoop(s.k32, EventPrinter.create(json, out));
            Map<Integer, Integer> codes = loop.run(1, null, s::stopRequested);
            if (s.stopRequested()) {
                note(out, (detachOnExit ? "detaching from " : "killing ") + pid);
                s.endDebugger();
                return 128 + s.stopSignal();
            }
            codes.forEach((p, code) -> note(out, String.format("process %x exited with code 0x%08x", p, code)));
            return s.linuxExit(pid).map(LinuxSession::shellStatus).orElse(codes.getOrDefault(pid, 1) & 0xFF);
        }
    }

    /**
     * run -i / -c / -cf: the program under the interactive debugger, sharing this terminal (its Ctrl-C reaches it as
     * DBG_CONTROL_C first); killed when the session ends.
     */
    private int debugInteractively(PrintWriter out, PrintWriter err, String program) {
        try (LinuxSession s = new LinuxSession(Set.of("TERM"), Set.of())) {
            s.k32.dbgUi().connectToDbg();
            s.k32.debugSetProcessKillOnExit(true);
            UserPointer<ProcessInformation> info = UserPointer.empty();
            if (!s.k32.createProcess(new LinuxProgram(command, SpawnOptions.defaults()), DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS, info)) {
                err.println("debugport: cannot run " + program + ": CreateProcess failed with Win32 error " + s.k32.getLastError());
                return 2;
            }
            s.k32.closeHandle(info.get().process());
            s.k32.closeHandle(info.get().thread());
            return FrontEnd.run(interactive, s.kernel, s.k32, new LinuxTargetControl(), out, err, true, s::onInterrupt);
        }
    }

    private void note(PrintWriter out, String text) {
        if (!json) {
            out.println("debugport: " + text);
            out.flush();
        }
    }
}
