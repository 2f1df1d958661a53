package dev.debugport.cli;

import dev.debugport.cli.interactive.FrontEnd;
import dev.debugport.cli.interactive.InteractiveOptions;
import dev.debugport.cli.interactive.SimTargetControl;
import dev.debugport.cli.output.EventPrinter;
import dev.debugport.cli.session.DebugLoop;
import dev.debugport.dbgk.Dbgk;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessManager;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.sim.SimMachine;
import dev.debugport.sim.SimProgram;
import dev.debugport.sim.programs.BuiltInPrograms;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `debugport sim`: builds a simulated NT machine, runs its built-in programs under a Win32 debugger (launched with
 * DEBUG_PROCESS, and the `loop` program attached to with DebugActiveProcess while it runs), and prints the event
 * stream.
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Run the built-in simulated programs under a debugger and print their debug events.")
final class SimCommand implements Callable<Integer> {
    private static final Duration IDLE_LIMIT = Duration.ofSeconds(30);
    /** The program sim -i debugs when none is named: it executes code with an int3 and a trap flag. */
    private static final String INTERACTIVE_DEFAULT = "breakpoint";

    @Option(names = "--json", description = "Print JSON Lines (one event per line) instead of cdb-like text.")
    boolean json;

    @Option(names = "--concurrent", description = "Start every program at once, all on one debug object.")
    boolean concurrent;

    @Parameters(arity = "0..*", paramLabel = "PROGRAM",
            description = "Programs to run (default: all): crash, modules, strings, breakpoint, loop (attached while running).")
    List<String> programs = new ArrayList<>();

    @CommandLine.Mixin
    InteractiveOptions interactive = new InteractiveOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<String> names = programs.isEmpty()
                ? (interactive.active() ? List.of(INTERACTIVE_DEFAULT) : List.of("crash", "modules", "strings", "breakpoint", "loop"))
                : programs;
        for (String name : names) {
            if (BuiltInPrograms.byName(name).isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "unknown program '" + name + "' (known: " + String.join(", ", BuiltInPrograms.all().keySet()) + ")");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (interactive.active()) {
            if (names.size() != 1 || concurrent || json) {
                throw new CommandLine.ParameterException(spec.commandLine(), "-i, -c and -cf debug one program, without --json or --concurrent");
            }
            return debugInteractively(out, names.getFirst());
        }
        SimMachine machine = SimMachine.create();
        Dbgk dbgk = Dbgk.initialize(machine.kernel());
        EThread debuggerThread = machine.createHostThread("debugport.exe");
        Kernel32 k32 = new Kernel32(dbgk, debuggerThread);
        DebugLoop loop = new DebugLoop(k32, EventPrinter.create(json, out));
        int started = 0;
        for (String name : names) {
            note(out, (name.equals("loop") ? "attaching to " : "launching ") + name);
            start(machine, k32, debuggerThread, name);
            started++;
            if (!concurrent) {
                report(out, loop.run(1, IDLE_LIMIT));
                started = 0;
            }
        }
        if (started > 0) {
            report(out, loop.run(started, IDLE_LIMIT));
        }
        machine.exitHostThread(debuggerThread, 0);
        return 0;
    }

    /** sim -i / -c / -cf: one built-in program under the interactive debugger (launched, or attached for loop). */
    private int debugInteractively(PrintWriter out, String name) {
        SimMachine machine = SimMachine.create();
        Dbgk dbgk = Dbgk.initialize(machine.kernel());
        EThread debuggerThread = machine.createHostThread("debugport.exe");
        Kernel32 k32 = new Kernel32(dbgk, debuggerThread);
        start(machine, k32, debuggerThread, name);
        try {
            return FrontEnd.run(interactive, machine.kernel(), k32, new SimTargetControl(), out, spec.commandLine().getErr(), false, r -> { });
        } finally {
            machine.exitHostThread(debuggerThread, 0);
        }
    }

    private void start(SimMachine machine, Kernel32 k32, EThread debuggerThread, String name) {
        SimProgram program = BuiltInPrograms.byName(name).orElseThrow();
        if (name.equals("loop")) {
            NtResult<ProcessManager.CreatedProcess> created = machine.createProcess(debuggerThread, program);
            if (!created.isSuccess()) {
                throw new IllegalStateException("cannot start " + name + ": " + created.status());
            }
            if (!machine.awaitSignal(BuiltInPrograms.LOOP_READY_SIGNAL, IDLE_LIMIT)) {
                throw new IllegalStateException(name + " did not start");
            }
            if (!k32.debugActiveProcess((int) created.value().process().pid())) {
                throw new IllegalStateException("DebugActiveProcess failed with Win32 error " + k32.getLastError());
            }
            machine.signal(BuiltInPrograms.LOOP_EXIT_SIGNAL);
            return;
        }
        UserPointer<ProcessInformation> info = UserPointer.empty();
        if (!k32.createProcess(program, DebugCreationFlags.DEBUG_PROCESS, info)) {
            throw new IllegalStateException("CreateProcess failed with Win32 error " + k32.getLastError());
        }
        k32.closeHandle(info.get().process());
        k32.closeHandle(info.get().thread());
    }

    private void note(PrintWriter out, String text) {
        if (!json) {
            out.println("debugport: " + text);
            out.flush();
        }
    }

    private void report(PrintWriter out, Map<Integer, Integer> exitCodes) {
        if (!json) {
            exitCodes.forEach((pid, code) -> out.printf("debugport: process %x exited with code 0x%08x%n", pid, code));
            out.flush();
        }
    }
}
