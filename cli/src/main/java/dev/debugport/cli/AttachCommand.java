package dev.debugport.cli;

import dev.debugport.cli.interactive.FrontEnd;
import dev.debugport.cli.interactive.InteractiveOptions;
import dev.debugport.cli.interactive.LinuxTargetControl;
import dev.debugport.cli.output.EventPrinter;
import dev.debugport.cli.session.DebugLoop;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `debugport attach PID`: DebugActiveProcess on a running Linux process (the fake start-up events, then the
 * break-in), and its events until it exits, or until Ctrl-C / SIGTERM, which detaches cleanly
 * (DebugActiveProcessStop; the process runs on) or, with --kill-on-exit, kills it. Exits with the process's exit
 * status (128 + N for signal N), 0 after a detach. A process that cannot be attached is one line naming the NTSTATUS
 * the NT layer gave (STATUS_INVALID_CID for no such process, STATUS_ACCESS_DENIED for pid 1 or debugport itself or
 * no permission, STATUS_PORT_ALREADY_SET for a process traced by another debugger) and status 2.
 */
@Command(name = "attach", mixinStandardHelpOptions = true,
        description = "Attach to a running Linux process and print its debug events until it exits or Ctrl-C.")
final class AttachCommand implements Callable<Integer> {
    /** The rights DebugActiveProcess opens its target with. */
    private static final int ATTACH_ACCESS = 0xC3A;

    @Option(names = "--json", description = "Print JSON Lines (one event per line) instead of cdb-like text.")
    boolean json;

    @Option(names = "--kill-on-exit", description = "On Ctrl-C / SIGTERM, kill the process instead of detaching.")
    boolean killOnExit;

    @Parameters(paramLabel = "PID", description = "The process to attach to.")
    long pid;

    @CommandLine.Mixin
    InteractiveOptions interactive = new InteractiveOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new CommandLine.ParameterException(spec.commandLine(), "not a process id: " + pid);
        }
        boolean debugger = interactive.active();
        try (LinuxSession s = new LinuxSession(debugger ? Set.of("TERM") : Set.of("INT", "TERM"), Set.of())) {
            NtStatus connected = s.k32.dbgUi().connectToDbg();
            if (!connected.isSuccess()) {
                err.println("debugport: cannot create a debug object: " + connected);
                return 2;
            }
            s.k32.debugSetProcessKillOnExit(killOnExit);
            UserPointer<Handle> h = UserPointer.of(Handle.NULL);
            NtStatus opened = s.kernel.services().openProcess(s.debugger, ProcessorMode.USER, h, ATTACH_ACCESS, pid);
            if (!opened.isSuccess()) {
                err.println("debugport: cannot attach to process " + pid + ": "
                        + (NtStatus.STATUS_INVALID_CID.equals(opened) ? "no such process, " : "") + opened);
                return 2;
            }
            NtStatus attached = s.k32.dbgUi().debugActiveProcess(h.get());
            s.kernel.services().close(s.debugger, ProcessorMode.USER, h.get());
            if (!attached.isSuccess()) {
                err.println("debugport: cannot attach to process " + pid + ": " + why(attached) + attached);
                return 2;
            }
            if (debugger) {
                return FrontEnd.run(interactive, s.kernel, s.k32, new LinuxTargetControl(), out, err, false, s::onInterrupt);
            }
            note(out, "attached to process " + pid);
            DebugLoop loop = new DebugLoop(s.k32, EventPrinter.create(json, out));
            Map<Integer, Integer> codes = loop.run(1, null, s::stopRequested);
            if (s.stopRequested()) {
                if (killOnExit) {
                    note(out, "killing process " + pid);
                    s.endDebugger();
                    return s.linuxExit(pid).map(LinuxSession::shellStatus).orElse(128 + 9);
                }
                boolean detached = s.k32.debugActiveProcessStop((int) pid);
                note(out, detached ? "detached from process " + pid : "detach failed with Win32 error " + s.k32.getLastError());
                s.endDebugger();
                return detached ? 0 : 1;
            }
            codes.forEach((p, code) -> note(out, String.format("process %x exited with code 0x%08x", p, code)));
            return s.linuxExit(pid).map(LinuxSession::shellStatus).orElse(codes.getOrDefault((int) pid, 1) & 0xFF);
        }
    }

    private static String why(NtStatus status) {
        if (NtStatus.STATUS_ACCESS_DENIED.equals(status)) {
            return "access denied (debugport itself, init, a kernel thread, or no permission to trace it), ";
        }
        if (NtStatus.STATUS_PORT_ALREADY_SET.equals(status)) {
            return "it is already being debugged, ";
        }
        if (NtStatus.STATUS_PROCESS_IS_TERMINATING.equals(status)) {
            return "it is exiting, ";
        }
        return "";
    }

    private void note(PrintWriter out, String text) {
        if (!json) {
            out.println("debugport: " + text);
            out.flush();
        }
    }
}
