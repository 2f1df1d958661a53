package dev.debugport.cli;

import dev.debugport.kd.host.KdHostSession;
import dev.debugport.kd.transport.KdAddress;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `debugport kd CONNECT`: the kernel-debugger host. Interactive (commands from standard input, Ctrl-C breaks in) or
 * batch (-c "cmd; cmd"). CONNECT is tcp:HOST:PORT, unix:PATH, or listen:PORT for a target that connects out.
 */
@Command(name = "kd", mixinStandardHelpOptions = true,
        description = "Kernel debugger host: connect to a KD target (tcp:HOST:PORT, unix:PATH, listen:PORT).")
final class KdCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONNECT", description = "tcp:HOST:PORT | unix:PATH | listen:PORT")
    String connect;

    @Option(names = "-c", paramLabel = "COMMANDS",
            description = "Run these commands (separated by ';') and quit, instead of reading standard input.")
    List<String> commands;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "How long to wait for the target to stop or answer (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        KdAddress address;
        try {
            address = KdAddress.parse(connect);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return KdHostSession.run(address, commands, in, spec.commandLine().getOut(), spec.commandLine().getErr(),
                Duration.ofSeconds(Math.max(1, timeoutSeconds)), KdCommand::onInterrupt);
    }

    /** Hooks Ctrl-C (SIGINT) to {@code action} instead of ending the JVM; leaves the default if that is impossible. */
    static void onInterrupt(Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance("INT");
            InvocationHandler h = (proxy, method, args) -> switch (method.getName()) {
                case "handle" -> {
                    action.run();
                    yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> "kd Ctrl-C handler";
                default -> null;
            };
            Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass}, h);
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Ctrl-C keeps its default meaning; .breakin still works
        }
    }
}
