package dev.debugport.debugger;

import dev.debugport.debugger.session.DebugSession;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Function;

/** A debugger that prints into a text buffer, for the test fixtures of both platforms: what each command printed. */
final class DebuggerTranscript {
    private final StringWriter text = new StringWriter();
    /** Where the session and the debugger print. */
    final Output out = new Output(new PrintWriter(text, true));

    /** Starts a debugger on {@code session}; {@code programs} makes what {@code .create} names. */
    Debugger start(DebugSession session, Function<String, Object> programs) {
        Debugger debugger = new Debugger(session, out, new TargetControl() {
            @Override
            public Object program(String commandLine) {
                return programs.apply(commandLine);
            }

            @Override
            public List<String[]> platformDetectionPoints(int processId) {
                return List.of();
            }
        });
        debugger.start();
        return debugger;
    }

    /** Runs a command line on {@code debugger} and returns what it printed. */
    String run(Debugger debugger, String line) {
        int from = text.getBuffer().length();
        debugger.execute(line);
        return text.getBuffer().substring(from);
    }

    /** Everything printed so far. */
    String all() {
        return text.toString();
    }
}
