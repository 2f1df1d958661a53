package dev.debugport.cli;

import dev.debugport.kd.target.KdTarget;
import dev.debugport.kd.target.KdTargetConfig;
import dev.debugport.kd.transport.KdAcceptor;
import dev.debugport.kd.transport.KdAddress;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ke.Dispatcher;
import dev.debugport.kernel.ke.SystemTime;
import dev.debugport.kernel.ke.Waiter;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.linux.platform.LinuxProgram;
import dev.debugport.linux.ptrace.SpawnOptions;
import dev.debugport.linux.ptrace.Spawner;
import dev.debugport.linux.ptrace.SysResult;
import dev.debugport.nt.NtStatus;
import dev.debugport.win32.ProcessInformation;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code debugport serve --kd ADDRESS -- PROGRAM [ARGS]}: the Linux-backed machine with its kernel-debugger port open.
 * The program runs as a process of the machine without a user-mode debugger (CreateProcess without debug flags), its
 * stdin, stdout and stderr passed through. A machine with a kernel debugger keeps its processes traced, so the host
 * can break in (every thread frozen), read and write the process's registers and memory, plant breakpoints in its
 * code, and see its exceptions: KiDispatchException offers them to KdpTrap because the process has no debug port.
 * The machine ends when the program exits, with the program's status (128 + N when signal N killed it); SIGTERM
 * kills the program and ends with 128 + 15.
 */
final class LinuxKdServer {
    /** How often the wait for the program's exit looks at SIGTERM. */
    private static final long POLL_MILLIS = 100;

    private LinuxKdServer() {
    }

    /**
     * @return the program's shell-style exit status, 1 if the port cannot listen, 2 if the program cannot run
     */
    static int serve(KdAddress address, KdTargetConfig config, List<String> command, PrintWriter out, PrintWriter err) {
        String program = command.getFirst();
        SysResult<Path> resolved = Spawner.resolveProgram(program, SpawnOptions.defaults());
        if (resolved instanceof SysResult.Err<Path> e) {
            err.println("debugport: cannot run " + program + ": " + e.errno().message() + " (" + e.errno().name() + ")");
            return 2;
        }
        try (LinuxSession s = new LinuxSession(Set.of("TERM"), Set.of("INT"))) {
            // KdInitSystem before the program starts: the platform keeps it traced only on a machine with KD.
            KdTarget target = KdTarget.install(s.kernel, config);
            KdAcceptor acceptor;
            try {
                acceptor = address.listen();
            } catch (IOException e) {
                target.close();
                err.println("debugport: cannot listen on " + address + ": " + e.getMessage());
                return 1;
            }
            try {
                target.listen(acceptor);
                String where = acceptor.localAddress() instanceof InetSocketAddress inet
                        ? "tcp:" + inet.getAddress().getHostAddress() + ":" + inet.getPort() : address.toString();
                note(out, "Linux machine (presented as Windows 7 SP1 x64, build 7601) kernel debugger listening on " + where);
                return run(s, command, out, err);
            } finally {
                target.close();
                ServeCommand.closeQuietly(acceptor);
            }
        }
    }

    private static int run(LinuxSession s, List<String> command, PrintWriter out, PrintWriter err) {
        UserPointer<ProcessInformation> info = UserPointer.empty();
        if (!s.k32.createProcess(new LinuxProgram(command, SpawnOptions.defaults()), 0, info)) {
            err.println("debugport: cannot run " + command.getFirst() + ": CreateProcess failed with Win32 error "
                    + s.k32.getLastError());
            return 2;
        }
        int pid = info.get().processId();
        EProcess process = s.kernel.clientIds().process(pid);
        s.k32.closeHandle(info.get().process());
        s.k32.closeHandle(info.get().thread());
        // The debugger's host thread (the JVM) is not part of the machine the host debugs: only the program is.
        s.endDebugger();
        note(out, "running " + String.join(" ", command) + String.format(" (pid %d = 0x%x)", pid, pid));
        while (process != null && !exited(process)) {
            if (s.stopRequested()) {
                note(out, "killing " + pid);
                s.kernel.processes().terminateProcess(process, NtStatus.STATUS_UNSUCCESSFUL.value());
                s.linuxExit(pid);
                return 128 + s.stopSignal();
            }
        }
        int status = s.linuxExit(pid).map(LinuxSession::shellStatus).orElse(process == null ? 1 : process.exitStatus() & 0xFF);
        note(out, "the program exited with status " + status + "; the machine ends");
        return status;
    }

    private static boolean exited(EProcess process) {
        return Dispatcher.waitForSingle(new Waiter(), process.exitedEvent(), false, SystemTime.relativeMillis(POLL_MILLIS))
                .equals(NtStatus.STATUS_SUCCESS);
    }

    private static void note(PrintWriter out, String text) {
        out.println("debugport: " + text);
        out.flush();
    }
}
