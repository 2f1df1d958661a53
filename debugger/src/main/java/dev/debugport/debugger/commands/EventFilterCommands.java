package dev.debugport.debugger.commands;

import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.events.BreakState;
import dev.debugport.debugger.events.EventFilter;
import dev.debugport.debugger.events.EventFilterTable;
import dev.debugport.debugger.expr.ExpressionException;
import java.util.List;
import java.util.OptionalLong;

/**
 * sx (lists the filters), sxe / sxd / sxn / sxi (break, second-chance break, output, ignore; with -h the handling
 * status instead: sxe handled, the others not handled; -c "cmd" at the first chance, -c2 "cmd" at the second), sxr
 * (every filter back to its default).
 */
final class EventFilterCommands implements Command {
    @Override
    public List<String> names() {
        return List.of("sx", "sxe", "sxd", "sxn", "sxi", "sxr");
    }

    @Override
    public String usage(String name) {
        return switch (name) {
            case "sx", "sxr" -> name;
            default -> name + " [-c \"Cmd1\"] [-c2 \"Cmd2\"] [-h] {Exception|Event|*}";
        };
    }

    @Override
    public void execute(Debugger d, String name, String arguments) throws UsageException, ExpressionException {
        EventFilterTable table = d.session().filters();
        if (name.equals("sx") || name.equals("sxr")) {
            UsageException.requireNone(arguments);
            if (name.equals("sxr")) {
                table.reset();
                d.out().println("sx state reset to defaults");
            } else {
                table.rows().forEach(f -> d.out().println(f.describe()));
            }
            return;
        }
        List<String> words = Arguments.words(arguments);
        String first = null;
        String second = null;
        boolean handling = false;
        String event = null;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            switch (w.toLowerCase()) {
                case "-c", "-c2" -> {
                    if (i + 1 >= words.size() || !Arguments.isQuoted(words.get(i + 1))) {
                        throw UsageException.badArguments(w + " needs a \"command\"");
                    }
                    String command = Arguments.unquote(words.get(++i));
                    if (w.equalsIgnoreCase("-c")) {
                        first = command;
                    } else {
                        second = command;
                    }
                }
                case "-h" -> handling = true;
                default -> {
                    if (event != null) {
                        throw UsageException.badArguments("one event or exception at a time");
                    }
                    event = w;
                }
            }
        }
        if (event == null) {
            throw UsageException.badArguments("an event or exception is needed");
        }
        String e = event;
        EventFilter filter = table.lookupOrAdd(event, text -> number(d, text))
                .orElseThrow(() -> UsageException.badArguments("unknown event or exception '" + e + "'"));
        if (handling || EventFilterTable.handlingOnly(filter)) {
            if (!filter.isException()) {
                throw UsageException.badArguments(filter.name() + " is an event: it has no handling status");
            }
            filter = filter.withHandled(name.equals("sxe"));
        } else {
            filter = filter.withBreakState(switch (name) {
                case "sxe" -> BreakState.BREAK;
                case "sxd" -> BreakState.SECOND_CHANCE;
                case "sxn" -> BreakState.OUTPUT;
                default -> BreakState.IGNORE;
            });
        }
        table.update(filter.withCommands(first, second));
    }

    private static OptionalLong number(Debugger d, String text) {
        try {
            return OptionalLong.of(d.evaluate(text));
        } catch (ExpressionException ex) {
            return OptionalLong.empty();
        }
    }
}
