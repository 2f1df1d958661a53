package dev.debugport.debugger.commands;

import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.expr.ExpressionException;
import dev.debugport.debugger.format.Hex;
import java.util.List;

/** ? Expression: {@code Evaluate expression: 4660 = 00000000`00001234}. */
final class EvaluateCommand implements Command {
    @Override
    public List<String> names() {
        return List.of("?");
    }

    @Override
    public String usage(String name) {
        return "? Expression";
    }

    @Override
    public void execute(Debugger d, String name, String arguments) throws UsageException, ExpressionException {
        if (arguments.isEmpty()) {
            throw UsageException.badArguments("an expression is needed");
        }
        long value = d.evaluate(arguments);
        d.out().println("Evaluate expression: " + value + " = " + Hex.pointer(value));
    }
}
