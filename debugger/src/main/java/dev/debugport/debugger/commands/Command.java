package dev.debugport.debugger.commands;

import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.expr.ExpressionException;
import java.util.List;

/** One debugger command (or a family of close ones, such as db/dw/dd/dq), as cdb spells it. */
public interface Command {
    /** The names it answers to, lower case ("bp", "bu", "bm"; ".logopen"; "~"). */
    List<String> names();

    /**
     * One usage line for {@code name}, e.g. {@code bp [Address] [Passes] ["CommandString"]}; by default the bare name,
     * for a command that takes no arguments.
     */
    default String usage(String name) {
        return name;
    }

    /**
     * Runs it.
     *
     * @param name      the name it was called by (lower case)
     * @param arguments the rest of the command, trimmed
     * @throws UsageException      bad arguments: the debugger prints the usage line and goes on
     * @throws ExpressionException an expression in the arguments cannot be evaluated
     */
    void execute(Debugger debugger, String name, String arguments) throws UsageException, ExpressionException;
}
