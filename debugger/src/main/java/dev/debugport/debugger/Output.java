package dev.debugport.debugger;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the debugger writes: the front end's writer, plus the log file .logopen opened (cdb copies everything there). */
public final class Output {
    private final PrintWriter out;
    private PrintWriter log;
    private Path logPath;

    public Output(PrintWriter out) {
        this.out = out;
    }

    /** Prints one line (or several, separated by newlines). */
    public synchronized void println(String text) {
        out.println(text);
        out.flush();
        if (log != null) {
            log.println(text);
            log.flush();
        }
    }

    /** Copies what is typed at the prompt into the log, as cdb's log shows the commands. */
    public synchronized void echoCommand(String prompt, String line) {
        if (log != null) {
            log.println(prompt + line);
            log.flush();
        }
    }

    /** .logopen: opens (truncates) the log file, closing a previous one. */
    public synchronized void openLog(Path path) throws IOException {
        closeLog();
        log = new PrintWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8));
        logPath = path;
    }

    /** .logclose: closes the log file; returns the path it had, or null when none was open. */
    public synchronized Path closeLog() {
        Path closed = logPath;
        if (log != null) {
            log.close();
        }
        log = null;
        logPath = null;
        return closed;
    }
}
