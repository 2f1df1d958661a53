package dev.debugport.debugger.commands;

import dev.debugport.debugger.Debugger;
import java.util.List;

/** q (ends the session and terminates the debuggees) and qd (ends it and detaches from them). */
final class QuitCommands implements Command {
    @Override
    public List<String> names() {
        return List.of("q", "qd");
    }

    @Override
    public void execute(Debugger d, String name, String arguments) throws UsageException {
        UsageException.requireNone(arguments);
        if (name.equals("qd")) {
            d.session().detachAll();
        } else {
            d.session().terminateAll();
        }
        d.out().println("quit:");
        d.finish();
    }
}
