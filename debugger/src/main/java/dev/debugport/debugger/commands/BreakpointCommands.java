package dev.debugport.debugger.commands;

import dev.debugport.analysis.Symbol;
import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.breakpoints.Breakpoint;
import dev.debugport.debugger.breakpoints.BreakpointTable;
import dev.debugport.debugger.expr.ExpressionException;
import dev.debugport.debugger.format.Hex;
import dev.debugport.debugger.target.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * bp (an address or symbol, resolved now; deferred when its module is not loaded yet), bu (always deferred: resolved
 * again at each module load), bm (every symbol a pattern matches), ba (debug registers: e/r/w with 1/2/4/8 bytes),
 * each with an optional pass count and "command string"; bl lists, bc clears, bd disables, be enables.
 */
final class BreakpointCommands implements Command {
    @Override
    public List<String> names() {
        return List.of("bp", "bu", "bm", "ba", "bl", "bc", "bd", "be");
    }

    @Override
    public String usage(String name) {
        return switch (name) {
            case "bp", "bu" -> name + " [Address] [Passes] [\"CommandString\"]";
            case "bm" -> "bm [module!]Pattern [Passes] [\"CommandString\"]";
            case "ba" -> "ba {e|r|w}{1|2|4|8} Address [Passes] [\"CommandString\"]";
            case "bl" -> "bl";
            default -> name + " {Id [Id...]|*}";
        };
    }

    @Override
    public void execute(Debugger d, String name, String arguments) throws UsageException, ExpressionException {
        switch (name) {
            case "bp", "bu" -> software(d, name, arguments);
            case "bm" -> pattern(d, arguments);
            case "ba" -> hardware(d, arguments);
            case "bl" -> list(d);
            default -> change(d, name, arguments);
        }
    }

    /** The optional pass count and command string after the address words. */
    private record Tail(int passes, String command) {
    }

    private static Tail tail(Debugger d, List<String> words) throws UsageException, ExpressionException {
        int passes = 1;
        String command = null;
        for (String w : words) {
            if (Arguments.isQuoted(w)) {
                if (command != null) {
                    throw UsageException.badArguments("one command string only");
                }
                command = Arguments.unquote(w);
            } else {
                if (command != null || passes != 1) {
                    throw UsageException.badArguments("unexpected '" + w + "'");
                }
                long p = d.evaluate(w);
                if (p < 1 || p > 0xFFFFFFFFL) {
                    throw UsageException.badArguments("the pass count must be 1 or more");
                }
                passes = (int) p;
            }
        }
        return new Tail(passes, command);
    }

    private static void software(Debugger d, String name, String arguments) throws UsageException, ExpressionException {
        Target target = d.requireTarget();
        List<String> words = Arguments.words(arguments);
        String expression = words.isEmpty() ? "." : words.getFirst();
        if (Arguments.isQuoted(expression)) {
            throw UsageException.badArguments("the address comes first");
        }
        Tail tail = tail(d, words.size() > 1 ? words.subList(1, words.size()) : List.of());
        BreakpointTable table = d.session().breakpoints();
        OptionalLong address;
        boolean deferred = name.equals("bu");
        try {
            address = OptionalLong.of(d.evaluate(expression));
        } catch (ExpressionException e) {
            if (!expression.contains("!")) {
                throw e;
            }
            // module!symbol of a module not loaded yet: deferred, as cdb does
            address = OptionalLong.empty();
            deferred = true;
            d.out().println("Bp expression '" + expression + "' could not be resolved, adding deferred bp");
        }
        if (address.isPresent() && !deferred) {
            var existing = table.softwareAt(target, address.getAsLong());
            if (existing.isPresent()) {
                table.remove(existing.get().id());
                d.out().println("breakpoint " + existing.get().id() + " redefined");
                table.add(Breakpoint.software(existing.get().id(), target, expression, false, address, tail.passes(), tail.command()));
                return;
            }
        }
        table.add(Breakpoint.software(table.nextId(), target, expression, deferred, address, tail.passes(), tail.command()));
    }

    private static void pattern(Debugger d, String arguments) throws UsageException, ExpressionException {
        Target target = d.requireTarget();
        List<String> words = Arguments.words(arguments);
        if (words.isEmpty() || Arguments.isQuoted(words.getFirst())) {
            throw UsageException.badArguments("a symbol pattern is needed");
        }
        Tail tail = tail(d, words.subList(1, words.size()));
        List<Symbol> matches = target.symbols().find(words.getFirst());
        if (matches.isEmpty()) {
            throw UsageException.cannot("No matching symbols found for '" + words.getFirst() + "', no breakpoints set");
        }
        BreakpointTable table = d.session().breakpoints();
        for (Symbol s : matches) {
            if (table.softwareAt(target, s.address()).isPresent()) {
                continue;
            }
            int id = table.nextId();
            table.add(Breakpoint.software(id, target, s.qualifiedName(), false, OptionalLong.of(s.address()), tail.passes(), tail.command()));
            d.out().println(String.format("%3d: %s @!\"%s\"", id, Hex.pointer(s.address()), s.qualifiedName()));
        }
    }

    private static void hardware(Debugger d, String arguments) throws UsageException, ExpressionException {
        Target target = d.requireTarget();
        List<String> words = Arguments.words(arguments);
        if (words.size() < 2) {
            throw UsageException.badArguments("an access and an address are needed");
        }
        String spec = words.getFirst();
        Breakpoint.Access access = spec.length() == 2 ? Breakpoint.Access.of(spec.charAt(0)) : null;
        int size = spec.length() == 2 ? Character.digit(spec.charAt(1), 10) : -1;
        if (access == null || (size != 1 && size != 2 && size != 4 && size != 8)) {
            throw UsageException.badArguments("the access is e, r or w and the size 1, 2, 4 or 8: '" + spec + "'");
        }
        if (access == Breakpoint.Access.EXECUTE && size != 1) {
            throw UsageException.badArguments("an execute breakpoint has size 1");
        }
        long address = d.evaluate(words.get(1));
        if (address % size != 0) {
            throw UsageException.badArguments("the address must be aligned to the size (" + size + ")");
        }
        Tail tail = tail(d, words.subList(2, words.size()));
        BreakpointTable table = d.session().breakpoints();
        int slot = table.freeSlot(target);
        if (slot < 0) {
            throw UsageException.cannot("Too many hardware breakpoints: the four debug registers are in use (bc one first)");
        }
        table.add(Breakpoint.hardware(table.nextId(), target, words.get(1), address, access, size, slot, tail.passes(), tail.command()));
    }

    /** bl: one line per breakpoint, as cdb prints them. */
    private static void list(Debugger d) {
        for (Breakpoint b : d.session().breakpoints().all()) {
            StringBuilder sb = new StringBuilder();
            String state = (b.enabled() ? "e" : "d") + (b.address().isEmpty() ? "u" : " ");
            sb.append(String.format("%2d %s ", b.id(), state));
            if (b.address().isPresent()) {
                sb.append(Hex.pointer(b.address().getAsLong()));
            } else {
                sb.append(" ".repeat(17));
            }
            if (b.kind() == Breakpoint.Kind.HARDWARE) {
                sb.append(' ').append(b.access().letter()).append(' ').append(b.size());
            }
            sb.append(String.format("     %04x (%04x) ", b.remaining(), b.passCount()));
            if (b.address().isPresent()) {
                sb.append(" ").append(b.target().number()).append(":**** ").append(b.target().symbols().describe(b.address().getAsLong()));
            } else {
                sb.append("(").append(b.expression()).append(")");
            }
            if (b.command() != null) {
                sb.append(" \"").append(b.command()).append('"');
            }
            d.out().println(sb.toString());
        }
    }

    /** bc / bd / be on a list of ids or *. */
    private static void change(Debugger d, String name, String arguments) throws UsageException, ExpressionException {
        BreakpointTable table = d.session().breakpoints();
        List<String> words = Arguments.words(arguments.replace(',', ' '));
        if (words.isEmpty()) {
            throw UsageException.badArguments("breakpoint ids or * are needed");
        }
        List<Breakpoint> chosen = new ArrayList<>();
        if (words.size() == 1 && words.getFirst().equals("*")) {
            chosen.addAll(table.all());
        } else {
            for (String w : words) {
                int id;
                try {
                    id = Integer.parseInt(w); // breakpoint ids are decimal in cdb
                } catch (NumberFormatException e) {
                    throw UsageException.badArguments("not a breakpoint id: '" + w + "'");
                }
                chosen.add(table.get(id).orElseThrow(() -> UsageException.cannot("No breakpoint " + w)));
            }
        }
        for (Breakpoint b : chosen) {
            switch (name) {
                case "bc" -> table.remove(b.id());
                case "bd" -> b.setEnabled(false);
                default -> b.setEnabled(true);
            }
        }
    }
}
