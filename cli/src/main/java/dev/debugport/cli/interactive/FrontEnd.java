package dev.debugport.cli.interactive;

import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.Output;
import dev.debugport.debugger.TargetControl;
import dev.debugport.debugger.session.DebugSession;
import dev.debugport.debugger.target.AnalysisModule;
import dev.debugport.kernel.Kernel;
import dev.debugport.win32.Kernel32;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/**
 * Runs a debugger session for run/attach/sim: waits for the first stop, runs the -c / -cf commands (each echoed
 * after the prompt, as cdb's output shows them), then the REPL with -i, or q.
 */
public final class FrontEnd {
    private FrontEnd() {
    }

    /**
     * Runs the session until q (or the end of the batch); the debuggee was created or attached on {@code k32}.
     *
     * @param controlCReachesTarget the debuggee shares this terminal (run), so Ctrl-C reaches it directly
     * @param onInterrupt           installs what Ctrl-C does while the batch runs (the REPL installs its own)
     * @return the exit status: 0, or 2 when the command file cannot be read
     */
    public static int run(InteractiveOptions options, Kernel kernel, Kernel32 k32, TargetControl control, PrintWriter out,
                          PrintWriter err, boolean controlCReachesTarget, java.util.function.Consumer<Runnable> onInterrupt) {
        List<String> fileLines = List.of();
        if (options.commandFile != null) {
            try {
                fileLines = Files.readAllLines(options.commandFile, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                err.println("debugport: cannot read " + options.commandFile + ": " + e.getMessage());
                return 2;
            }
        }
        try (AnalysisModule analysis = new AnalysisModule()) {
            Output output = new Output(out);
            DebugSession session = new DebugSession(kernel, k32, analysis, output, controlCReachesTarget);
            session.expectTarget();
            Debugger debugger = new Debugger(session, output, control);
            onInterrupt.accept(session::requestBreak);
            debugger.start();
            if (options.commands != null) {
                batch(debugger, output, options.commands);
            }
            for (String line : fileLines) {
                batch(debugger, output, line);
            }
            if (options.interactive && !debugger.finished()) {
                Repl.run(debugger, session);
            }
            if (!debugger.finished()) {
                batch(debugger, output, "q");
            }
        }
        return 0;
    }

    private static void batch(Debugger debugger, Output output, String line) {
        if (debugger.finished() || line.isBlank()) {
            return;
        }
        output.println(debugger.prompt() + line);
        debugger.execute(line);
    }
}
