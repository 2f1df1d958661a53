package dev.debugport.debugger.commands;

import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.expr.ExpressionException;
import dev.debugport.debugger.target.TargetThread;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import java.util.ArrayList;
import java.util.List;

/** r: all registers (cdb's block), some ({@code r rax, rip}), or one set ({@code r rax=5}, {@code r @rip=prog!f}). */
final class RegisterCommand implements Command {
    @Override
    public List<String> names() {
        return List.of("r");
    }

    @Override
    public String usage(String name) {
        return "r [Register[, Register...]] | r Register=Expression";
    }

    @Override
    public void execute(Debugger d, String name, String arguments) throws UsageException, ExpressionException {
        TargetThread thread = d.requireStoppedThread();
        Amd64Context ctx = d.requireContext();
        if (arguments.isEmpty()) {
            d.showCurrentInstruction(true);
            return;
        }
        int eq = arguments.indexOf('=');
        if (eq >= 0) {
            Amd64Register reg = register(arguments.substring(0, eq));
            long value = d.evaluate(arguments.substring(eq + 1));
            if (!thread.setContext(d.session().kernel32(), ctx.with(reg, value))) {
                throw UsageException.cannot("Unable to set " + reg.lowerName() + ": SetThreadContext failed with Win32 error "
                        + d.session().kernel32().getLastError());
            }
            return;
        }
        List<String> shown = new ArrayList<>();
        for (String part : arguments.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            Amd64Register reg = register(part);
            shown.add(reg.lowerName() + "=" + format(reg, ctx.get(reg)));
        }
        d.out().println(String.join(" ", shown));
    }

    private static Amd64Register register(String text) throws UsageException {
        String name = text.trim();
        if (name.startsWith("@")) {
            name = name.substring(1);
        }
        String n = name;
        return Amd64Register.byName(n).orElseThrow(() -> UsageException.badArguments("Bad register error at '" + n + "'"));
    }

    /** Registers at their CONTEXT width: 16 hex digits, 8 for efl, 4 for segments. */
    private static String format(Amd64Register reg, long value) {
        if (reg.isSegment()) {
            return String.format("%04x", value);
        }
        if (reg == Amd64Register.EFLAGS) {
            return String.format("%08x", value);
        }
        return String.format("%016x", value);
    }
}
