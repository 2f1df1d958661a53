package dev.debugport.debugger.commands;

import dev.debugport.analysis.ModuleImage;
import dev.debugport.analysis.Symbol;
import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.expr.ExpressionException;
import dev.debugport.debugger.format.Hex;
import dev.debugport.debugger.target.Target;
import java.util.List;
import java.util.Optional;

/** lm (the loaded modules), x (symbols matching module!pattern), ln (the symbol nearest an address). */
final class SymbolCommands implements Command {
    @Override
    public List<String> names() {
        return List.of("lm", "x", "ln");
    }

    @Override
    public String usage(String name) {
        return switch (name) {
            case "lm" -> "lm";
            case "x" -> "x [module!]Pattern";
            default -> "ln Address";
        };
    }

    @Override
    public void execute(Debugger d, String name, String arguments) throws UsageException, ExpressionException {
        Target target = d.requireTarget();
        switch (name) {
            case "lm" -> {
                UsageException.requireNone(arguments);
                d.out().println("start             end                 module name");
                for (ModuleImage m : target.symbols().modules()) {
                    d.out().println(String.format("%s %s   %-16s %s", Hex.pointer(m.base()), Hex.pointer(m.end()), m.name(), m.path()));
                }
            }
            case "x" -> {
                if (arguments.isEmpty() || arguments.contains(" ")) {
                    throw UsageException.badArguments("one pattern is needed");
                }
                List<Symbol> found = target.symbols().find(arguments);
                if (found.isEmpty()) {
                    d.out().println("No symbols match '" + arguments + "'");
                }
                for (Symbol s : found) {
                    d.out().println(Hex.pointer(s.address()) + " " + s.qualifiedName());
                }
            }
            default -> {
                if (arguments.isEmpty()) {
                    throw UsageException.badArguments("an address is needed");
                }
                long address = d.evaluate(arguments);
                Optional<Symbol> s = target.symbols().symbolAt(address);
                if (s.isEmpty()) {
                    d.out().println("No symbol near " + Hex.pointer(address) + " (" + target.symbols().describe(address) + ")");
                    return;
                }
                d.out().println("(" + Hex.pointer(s.get().address()) + ")   " + target.symbols().describe(address));
                if (s.get().address() == address) {
                    d.out().println("Exact matches:");
                    d.out().println("    " + s.get().qualifiedName());
                }
            }
        }
    }
}
