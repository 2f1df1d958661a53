package dev.debugport.debugger.commands;

import dev.debugport.analysis.StackFrame;
import dev.debugport.analysis.Symbol;
import dev.debugport.analysis.SymbolTable;
import dev.debugport.analysis.symbols.FrameParameters;
import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.expr.ExpressionException;
import dev.debugport.debugger.format.Hex;
import dev.debugport.debugger.target.Target;
import dev.debugport.nt.Amd64Context;
import java.util.List;
import java.util.Optional;

/**
 * k (frame number, Child-SP, RetAddr, Call Site), kb (plus the first four stack words above the return address:
 * "Args to Child"), kp (k with each function's parameters, types, names and values, where the module's DWARF
 * describes the function: {@code module!function(int x = 0n5, char * s = 0x...)+0x1c}; as k elsewhere).
 */
final class StackCommand implements Command {
    private static final int DEFAULT_FRAMES = 20;
    private static final int MAX_FRAMES = 0xFFFF;

    @Override
    public List<String> names() {
        return List.of("k", "kb", "kp");
    }

    @Override
    public String usage(String name) {
        return name + " [FrameCount]";
    }

    @Override
    public void execute(Debugger d, String name, String arguments) throws UsageException, ExpressionException {
        Target target = d.requireTarget();
        Amd64Context ctx = d.requireContext();
        long count = arguments.isEmpty() ? DEFAULT_FRAMES : d.evaluate(arguments);
        if (count < 1 || count > MAX_FRAMES) {
            throw UsageException.badArguments("the frame count must be between 1 and 0x" + Integer.toHexString(MAX_FRAMES));
        }
        List<StackFrame> frames = target.stackWalker().walk(ctx, (int) count);
        boolean args = name.equals("kb");
        Optional<FrameParameters> parameters = name.equals("kp")
                ? Optional.of(new FrameParameters(target.symbols(), target.memory()))
                : Optional.empty();
        d.out().println(args
                ? " # RetAddr           : Args to Child                                                           : Call Site"
                : " # Child-SP          RetAddr               Call Site");
        for (StackFrame f : frames) {
            String site = parameters.flatMap(p -> siteWithParameters(target.symbols(), p, f))
                    .orElseGet(() -> target.symbols().describe(f.instruction()));
            if (args) {
                StringBuilder sb = new StringBuilder(String.format("%02x %s : ", f.number(), Hex.pointer(f.returnAddress())));
                for (int i = 0; i < 4; i++) {
                    sb.append(Hex.pointer(i < f.arguments().length ? f.arguments()[i] : 0)).append(' ');
                }
                d.out().println(sb.append(": ").append(site).toString());
            } else {
                d.out().println(String.format("%02x %s %s     %s", f.number(), Hex.pointer(f.stackPointer()), Hex.pointer(f.returnAddress()), site));
            }
        }
    }

    /** kp's call site: {@code module!function(parameters)+0xoffset}, when the symbol and its DWARF are both there. */
    private static Optional<String> siteWithParameters(SymbolTable symbols, FrameParameters parameters, StackFrame f) {
        Optional<Symbol> symbol = symbols.symbolAt(f.instruction());
        if (symbol.isEmpty()) {
            return Optional.empty();
        }
        long offset = f.instruction() - symbol.get().address();
        return parameters.of(f).map(list -> symbol.get().qualifiedName() + "(" + (list.isEmpty() ? "void" : String.join(", ", list)) + ")"
                + SymbolTable.offsetSuffix(offset));
    }
}
