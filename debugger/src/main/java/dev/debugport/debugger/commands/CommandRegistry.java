package dev.debugport.debugger.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The commands by name: lookup, the usage lines, and the names for completion. */
public final class CommandRegistry {
    private final Map<String, Command> byName = new TreeMap<>();

    public CommandRegistry register(Command command) {
        for (String name : command.names()) {
            if (byName.putIfAbsent(name, command) != null) {
                throw new IllegalArgumentException("two commands named " + name);
            }
        }
        return this;
    }

    public Optional<Command> lookup(String name) {
        return Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Every command name, sorted. */
    public List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    /**
     * Splits one command into its name and arguments: {@code .name} and {@code !name} are a dot or bang and a word;
     * {@code ~}, {@code |} and {@code ?} are names by themselves (~1s, |0s, ?1+2); otherwise the longest run of
     * letters that is a command name (so that {@code db@rsp} and {@code bc*} work as in cdb).
     *
     * @return {name, arguments}
     */
    public String[] split(String command) {
        String c = command.trim();
        if (c.isEmpty()) {
            return new String[] {"", ""};
        }
        char first = c.charAt(0);
        int end;
        if (first == '~' || first == '|' || first == '?') {
            end = 1;
        } else if (first == '.' || first == '!') {
            end = 1;
            while (end < c.length() && (Character.isLetterOrDigit(c.charAt(end)) || c.charAt(end) == '_')) {
                end++;
            }
        } else {
            int letters = 0;
            while (letters < c.length() && Character.isLetter(c.charAt(letters))) {
                letters++;
            }
            end = letters;
            while (end > 1 && !byName.containsKey(c.substring(0, end).toLowerCase(Locale.ROOT))) {
                end--;
            }
            if (!byName.containsKey(c.substring(0, end).toLowerCase(Locale.ROOT))) {
                end = letters;
            }
        }
        return new String[] {c.substring(0, end).toLowerCase(Locale.ROOT), c.substring(end).trim()};
    }
}
