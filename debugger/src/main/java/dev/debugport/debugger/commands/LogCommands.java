package dev.debugport.debugger.commands;

import dev.debugport.debugger.Debugger;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** .logopen File (everything the debugger prints, and the commands typed, also go to the file) and .logclose. */
final class LogCommands implements Command {
    @Override
    public List<String> names() {
        return List.of(".logopen", ".logclose");
    }

    @Override
    public String usage(String name) {
        return name.equals(".logopen") ? ".logopen File" : ".logclose";
    }

    @Override
    public void execute(Debugger d, String name, String arguments) throws UsageException {
        if (name.equals(".logclose")) {
            UsageException.requireNone(arguments);
            Path closed = d.out().closeLog();
            d.out().println(closed == null ? "No log file open" : "Closing open log file " + closed);
            return;
        }
        if (arguments.isEmpty()) {
            throw UsageException.badArguments("a file name is needed");
        }
        String file = Arguments.isQuoted(arguments) ? Arguments.unquote(arguments) : arguments;
        try {
            d.out().openLog(Path.of(file));
        } catch (IOException | RuntimeException e) {
            throw UsageException.cannot("Unable to open log file " + file + ": " + e.getMessage());
        }
        d.out().println("Opened log file '" + file + "'");
    }
}
