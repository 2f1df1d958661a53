package dev.debugport.cli.interactive;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that turn run, attach and sim into the interactive debugger: -i (REPL), -c and -cf (batch). */
public final class InteractiveOptions {
    @Option(names = "-i", description = "Debug interactively: a cdb-style prompt (history, completion, Ctrl-C breaks in).")
    boolean interactive;

    @Option(names = "-c", paramLabel = "COMMANDS", description = "Run these debugger commands (\"cmd; cmd\") at the first stop; q is implied at the end unless -i.")
    String commands;

    @Option(names = "-cf", paramLabel = "FILE", description = "Run the debugger commands in FILE (one or more per line) at the first stop; q is implied at the end unless -i.")
    Path commandFile;

    /** Whether any of them was given (else the command keeps its non-interactive event printing). */
    public boolean active() {
        return interactive || commands != null || commandFile != null;
    }
}
