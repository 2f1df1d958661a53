package dev.debugport.kd.host;

import dev.debugport.kd.transport.KdAddress;
import dev.debugport.kd.transport.KdConnection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * One run of the {@code kd} host: connect to {@code tcp:HOST:PORT}, {@code unix:PATH}, or wait on
 * {@code listen:PORT} for a target that connects out; then run batch commands, or read commands from the input until
 * {@code q} or end of input. A target that cannot be reached is one line on the error stream and exit status 1.
 */
public final class KdHostSession {
    private KdHostSession() {
    }

    /**
     * @param address where the target is
     * @param batch the commands of {@code -c} (each may hold several separated by {@code ;}), or null for an
     *              interactive session reading {@code in}
     * @param in the interactive input
     * @param out the debugger's output
     * @param err one-line errors
     * @param stopTimeout how long a command waits for a running target to stop (batch), and the handshake timeout
     * @param onInterrupt receives the Ctrl-C action of an interactive session (to hook to SIGINT), or null
     * @return 0, or 1 when the target could not be reached or (batch) a command failed
     */
    public static int run(KdAddress address, List<String> batch, BufferedReader in, PrintWriter out, PrintWriter err,
                          Duration stopTimeout, Consumer<Runnable> onInterrupt) {
        boolean interactive = batch == null;
        KdCommandInterpreter interpreter = new KdCommandInterpreter(out, stopTimeout, interactive);
        KdConnection connection;
        try {
            if (address.kind() == KdAddress.Kind.LISTEN) {
                out.println("Waiting for a target to connect on " + address.host() + ":" + address.port() + " ...");
                out.flush();
            }
            connection = address.open();
        } catch (IOException | RuntimeException e) {
            err.println("kd: cannot connect to " + address + ": " + reason(e));
            err.flush();
            interpreter.shutdown();
            return 1;
        }
        KdHostClient client;
        try {
            client = KdHostClient.connect(connection, KdHostClient.Options.defaults()
                    .withTimeouts(stopTimeout, Duration.ofSeconds(Math.max(10, stopTimeout.toSeconds())))
                    .withListener(interpreter));
        } catch (KdHostException e) {
            err.println("kd: " + address + ": " + e.getMessage());
            err.flush();
            interpreter.shutdown();
            return 1;
        }
        try {
            interpreter.attach(client);
            if (interactive) {
                if (onInterrupt != null) {
                    onInterrupt.accept(interpreter::interrupt);
                }
                while (!interpreter.quitRequested()) {
                    String prompt = interpreter.prompt();
                    if (prompt != null) {
                        out.print(prompt);
                        out.flush();
                    }
                    String line = in.readLine();
                    if (line == null) {
                        break;
                    }
                    interpreter.inputLine(line);
                }
            } else {
                for (String commands : batch) {
                    if (interpreter.quitRequested()) {
                        break;
                    }
                    interpreter.execute(commands);
                }
            }
        } catch (IOException e) {
            err.println("kd: " + reason(e));
        } catch (KdHostException e) {
            err.println("kd: " + e.getMessage());
            interpreter.shutdown();
            client.close();
            return 1;
        } finally {
            out.flush();
        }
        interpreter.endSession();
        client.close();
        interpreter.shutdown();
        return !interactive && interpreter.anyFailed() ? 1 : 0;
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
