package dev.debugport.debugger.commands;

import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.expr.ExpressionException;
import dev.debugport.debugger.session.NtQueries;
import dev.debugport.debugger.target.Target;
import dev.debugport.nt.NtStatus;
import java.util.List;

/**
 * .detach [/h|/n] (continue the pending event handled or not handled, then DebugActiveProcessStop), .kill
 * (TerminateProcess), .attach PID (DebugActiveProcess; the events come with the next g), .create CommandLine,
 * .childdbg 0|1 (NtSetInformationProcess ProcessDebugFlags: whether children inherit the debug object).
 */
final class TargetCommands implements Command {
    @Override
    public List<String> names() {
        return List.of(".detach", ".kill", ".attach", ".create", ".childdbg");
    }

    @Override
    public String usage(String name) {
        return switch (name) {
            case ".detach" -> ".detach [/h|/n]";
            case ".kill" -> ".kill";
            case ".attach" -> ".attach PID";
            case ".create" -> ".create CommandLine";
            default -> ".childdbg [0|1]";
        };
    }

    @Override
    public void execute(Debugger d, String name, String arguments) throws UsageException, ExpressionException {
        switch (name) {
            case ".detach" -> {
                Target target = d.requireTarget();
                NtStatus status = switch (arguments) {
                    case "", "/h" -> NtStatus.DBG_CONTINUE;
                    case "/n" -> NtStatus.DBG_EXCEPTION_NOT_HANDLED;
                    default -> throw UsageException.badArguments("'" + arguments + "'");
                };
                String failure = d.session().detach(target, status);
                d.out().println(failure != null ? failure : "Detached");
            }
            case ".kill" -> {
                UsageException.requireNone(arguments);
                Target target = d.requireTarget();
                d.out().println("Terminated.  Exit thread and process events will occur.");
                d.report(d.session().kill(target));
            }
            case ".attach" -> {
                if (arguments.isEmpty()) {
                    throw UsageException.badArguments("a process id is needed");
                }
                long pid = d.evaluate(arguments);
                if (pid <= 0 || pid > Integer.MAX_VALUE) {
                    throw UsageException.badArguments("not a process id: " + arguments);
                }
                if (!d.session().kernel32().debugActiveProcess((int) pid)) {
                    throw UsageException.cannot("Cannot debug pid " + pid + ", Win32 error 0n" + d.session().kernel32().getLastError());
                }
                d.session().expectTarget();
                d.out().println("Attach will occur on next execution");
            }
            case ".create" -> {
                if (arguments.isEmpty()) {
                    throw UsageException.badArguments("a command line is needed");
                }
                String failure = d.control().create(d.session().kernel32(), arguments);
                if (failure != null) {
                    throw UsageException.cannot(failure);
                }
                d.session().expectTarget();
                d.out().println("Create will proceed with next execution");
            }
            default -> childDebug(d, arguments);
        }
    }

    private static void childDebug(Debugger d, String arguments) throws UsageException {
        Target target = d.requireTarget();
        NtQueries nt = d.session().queries();
        if (!arguments.isEmpty()) {
            if (!arguments.equals("0") && !arguments.equals("1")) {
                throw UsageException.badArguments("0 or 1");
            }
            NtStatus set = nt.setDebugFlags(target.handle(), arguments.equals("1"));
            if (!set.isSuccess()) {
                throw UsageException.cannot("NtSetInformationProcess(ProcessDebugFlags) failed with " + set);
            }
        }
        NtQueries.Answer flags = nt.queryProcess(target.handle(), dev.debugport.nt.InformationClass.ProcessDebugFlags, 4);
        if (!flags.status().isSuccess()) {
            throw UsageException.cannot("NtQueryInformationProcess(ProcessDebugFlags) failed with " + flags.status());
        }
        d.out().println("Processes created by the current process will" + (flags.value() == 1 ? "" : " not") + " be debugged");
    }
}
