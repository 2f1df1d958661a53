package dev.debugport.cli;

import dev.debugport.kd.target.KdTarget;
import dev.debugport.kd.target.KdTargetConfig;
import dev.debugport.kd.transport.KdAcceptor;
import dev.debugport.kd.transport.KdAddress;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessManager;
import dev.debugport.sim.SimMachine;
import dev.debugport.sim.SimProgram;
import dev.debugport.sim.programs.BuiltInPrograms;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `debugport serve --kd ADDRESS --sim`: one simulated NT machine running the built-in programs (each restarted when
 * it ends) with its kernel-debugger port open, so that `debugport kd`, WinDbg-like hosts or radare2 can debug it.
 * Serves until the first host disconnects (or, with --persist, until interrupted).
 * `debugport serve --kd ADDRESS -- PROGRAM [ARGS]`: the Linux-backed machine running PROGRAM instead
 * ({@link LinuxKdServer}); it ends when the program exits.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run a machine with its kernel-debugger (KD) port open: the simulated system with --sim, or "
                + "the Linux program given after -- (the machine ends when it exits, with its status).")
final class ServeCommand implements Callable<Integer> {
    private static final Duration EXIT_WAIT = Duration.ofSeconds(10);

    @Option(names = "--kd", required = true, paramLabel = "unix:PATH|tcp:HOST:PORT",
            description = "Where the KD port listens (loopback only unless --allow-remote).")
    String kd;

    @Option(names = "--sim", description = "Run the simulated system (the built-in programs).")
    boolean sim;

    @Option(names = "--programs", split = ",", paramLabel = "NAME",
            description = "Built-in programs to keep running (default: all): breakpoint, crash, loop, modules, strings.")
    List<String> programs = new ArrayList<>();

    @Option(names = "--pause", defaultValue = "1000", paramLabel = "MS",
            description = "Pause between two runs of a program, in milliseconds (default: ${DEFAULT-VALUE}).")
    long pauseMillis;

    @Option(names = "--persist", description = "Keep serving after a host disconnects: the next host can connect.")
    boolean persist;

    @Option(names = "--allow-remote", description = "Allow a non-loopback TCP address.")
    boolean allowRemote;

    @Option(names = "--stop-on-exception", description = "NtGlobalFlag FLG_STOP_ON_EXCEPTION: report every first-chance exception.")
    boolean stopOnException;

    @Option(names = "--radare2", description = "Keep read replies within radare2's 2048-byte packet limit.")
    boolean radare2;

    @Parameters(arity = "0..*", paramLabel = "PROGRAM",
            description = "The Linux program to run and its arguments (after --), instead of --sim.")
    List<String> linuxProgram = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final CountDownLatch shutdown = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        boolean linux = !linuxProgram.isEmpty();
        if (linux == sim) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give either --sim or -- PROGRAM [ARGS] (the machine to serve)");
        }
        KdAddress address;
        try {
            address = KdAddress.parse(kd);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--kd: " + e.getMessage());
        }
        if (address.kind() == KdAddress.Kind.LISTEN) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--kd takes tcp:HOST:PORT or unix:PATH");
        }
        if (!address.isLoopback() && !allowRemote) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--kd " + address + " is not a loopback address; add --allow-remote to listen there");
        }
        KdTargetConfig config = KdTargetConfig.defaults()
                .withStopOnException(stopOnException)
                .withReadLimit(radare2 ? KdTargetConfig.RADARE2_READ_LIMIT : KdTargetConfig.defaults().readLimit());
        if (linux) {
            return LinuxKdServer.serve(address, config, linuxProgram, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        List<String> names = programs.isEmpty() ? List.copyOf(BuiltInPrograms.all().keySet()) : programs;
        for (String name : names) {
            if (BuiltInPrograms.byName(name).isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown program '" + name
                        + "' (known: " + String.join(", ", BuiltInPrograms.all().keySet()) + ")");
            }
        }
        PrintWriter out = spec.commandLine().getOut();

        SimMachine machine = SimMachine.create();
        EThread creator = machine.createHostThread("wininit.exe");
        KdTarget target = KdTarget.install(machine.kernel(), config.withRebootHandler(() -> machine.kernel().clientIds().allProcesses().stream()
                        .filter(p -> p.pid() != creator.process().pid() && p.pid() != 4)
                        .forEach(p -> machine.kernel().processes().terminateProcess(p, 0))));
        KdAcceptor acceptor;
        try {
            acceptor = address.listen();
        } catch (IOException e) {
            target.close();
            spec.commandLine().getErr().println("debugport: cannot listen on " + address + ": " + e.getMessage());
            return 1;
        }
        Thread cleanup = Thread.ofPlatform().unstarted(() -> stop(target, acceptor, machine));
        Runtime.getRuntime().addShutdownHook(cleanup);
        target.listen(acceptor);
        String where = acceptor.localAddress() instanceof InetSocketAddress inet
                ? "tcp:" + inet.getAddress().getHostAddress() + ":" + inet.getPort() : address.toString();
        out.println("debugport: simulated Windows 7 SP1 x64 (build 7601) kernel debugger listening on " + where);
        out.println("debugport: running " + String.join(", ", names) + (persist ? "; serving until interrupted"
                : "; serving until the host disconnects"));
        out.flush();

        List<Thread> runners = new ArrayList<>();
        for (String name : names) {
            SimProgram program = BuiltInPrograms.byName(name).orElseThrow();
            runners.add(Thread.ofPlatform().daemon().name("serve " + name).start(() -> keepRunning(machine, creator, program)));
        }

        long announced = 0;
        long finished = 0;
        while (shutdown.getCount() > 0) {
            if (shutdown.await(50, TimeUnit.MILLISECONDS)) {
                break;
            }
            long hosts = target.hostConnectionCount();
            boolean connected = target.isHostConnected();
            if (hosts > announced) {
                out.println("debugport: a host connected");
                out.flush();
                announced = hosts;
            }
            if (hosts > finished && !connected) {
                finished = hosts;
                out.println("debugport: the host disconnected" + (persist ? "; listening for the next one" : "; shutting down"));
                out.flush();
                if (!persist) {
                    break;
                }
            }
        }
        shutdown.countDown();
        stop(target, acceptor, machine);
        for (Thread r : runners) {
            r.join(EXIT_WAIT.toMillis());
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        return 0;
    }

    /** Runs {@code program} again and again (with a pause) until shutdown. */
    private void keepRunning(SimMachine machine, EThread creator, SimProgram program) {
        try {
            while (shutdown.getCount() > 0) {
                NtResult<ProcessManager.CreatedProcess> created = machine.createProcess(creator, program);
                if (!created.isSuccess()) {
                    return;
                }
                EProcess process = created.value().process();
                while (!SimMachine.awaitExit(process, Duration.ofMillis(200))) {
                    if (shutdown.getCount() == 0) {
                        return;
                    }
                }
                if (shutdown.await(pauseMillis, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the KD port (removing a UNIX socket's file); a failure changes nothing for a machine that ends. */
    static void closeQuietly(KdAcceptor acceptor) {
        try {
            acceptor.close();
        } catch (IOException ignored) {
            // exiting anyway
        }
    }

    private synchronized void stop(KdTarget target, KdAcceptor acceptor, SimMachine machine) {
        shutdown.countDown();
        target.close();
        closeQuietly(acceptor);
        machine.signal(BuiltInPrograms.LOOP_EXIT_SIGNAL);
        machine.terminateAllGuests(0, EXIT_WAIT);
    }
}
