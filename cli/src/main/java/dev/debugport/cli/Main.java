package dev.debugport.cli;

import dev.debugport.linux.libc.LibC;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The `debugport` command: a subcommand per job. Bad arguments print one line and exit with status 2.
 *
 * <p>The subcommands are registered by hand rather than in the annotation: picocli builds a command's model by
 * reflection over its annotations, so a command line that names a subcommand gets that one only, and start-up pays
 * for one model instead of five. Anything else (no argument, --help, a misspelt command) gets them all, for the usage
 * text and the error message. The plain forms of `run` skip picocli altogether ({@link RunCommandLine}).
 */
@Command(name = "debugport", mixinStandardHelpOptions = true, version = "debugport 0.1.0",
        description = "The Windows NT debugging architecture (Dbgk, DbgUi, Win32 debug API) in Java.")
public final class Main implements Runnable {
    /** The subcommands that drive real processes through the libc bindings. */
    private static final Set<String> LINUX_COMMANDS = Set.of("run", "attach");
    private static final List<Class<?>> SUBCOMMANDS = List.of(SimCommand.class, ServeCommand.class, KdCommand.class,
            RunCommand.class, AttachCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (args.length > 0 && LINUX_COMMANDS.contains(args[0])) {
            // The FFM linking of the libc bindings (tens of ms) overlaps, on the other core, the parsing and the
            // session's set-up up to its first native call.
            Thread.ofPlatform().daemon().name("debugport-libc-link").start(Main::linkLibC);
        }
        System.exit(run(args));
    }

    private static void linkLibC() {
        try {
            LibC.link();
        } catch (LinkageError e) {
            // The command's own first native call reports it.
        }
    }

    /** Runs the command line on the process's standard streams and returns the exit status. */
    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs the command line writing to the given streams and returns the exit status (for tests). */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        java.util.Optional<RunCommand> plainRun = RunCommandLine.parse(args);
        if (plainRun.isPresent()) {
            try {
                return plainRun.get().run(out, err);
            } catch (RuntimeException e) {
                return failed(err, e);
            }
        }
        CommandLine cl = new CommandLine(new Main());
        String named = args.length == 0 ? "" : args[0];
        List<Class<?>> wanted = SUBCOMMANDS.stream()
                .filter(c -> c.getAnnotation(Command.class).name().equals(named)).toList();
        for (Class<?> c : wanted.isEmpty() ? SUBCOMMANDS : wanted) {
            cl.addSubcommand(c);
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("debugport: " + ex.getMessage() + " (see --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> failed(line.getErr(), ex));
        return cl.execute(args);
    }

    /** A command failed with {@code e}: one line on {@code err}, status 1. */
    private static int failed(java.io.PrintWriter err, Exception e) {
        err.println("debugport: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        return 1;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: sim, serve, kd, run, attach");
    }
}
