package dev.debugport.debugger.events;

/**
 * One row of cdb's event filter table: an event (ct, ld, ibp...) or an exception code (av, bpe, or a code the user
 * added), its break status, its handling status (exceptions only: how {@code g} continues it) and the commands run at
 * the first (-c) and second (-c2) chance.
 *
 * @param name        the short name sx uses (av), or the code in hex for a user-added exception
 * @param description what sx prints after it
 * @param code        the exception code, or null for a non-exception event
 */
public record EventFilter(String name, String description, Integer code, BreakState breakState, boolean handled,
                          String command, String secondChanceCommand) {
    public boolean isException() {
        return code != null;
    }

    public EventFilter withBreakState(BreakState state) {
        return new EventFilter(name, description, code, state, handled, command, secondChanceCommand);
    }

    public EventFilter withHandled(boolean value) {
        return new EventFilter(name, description, code, breakState, value, command, secondChanceCommand);
    }

    public EventFilter withCommands(String first, String second) {
        return new EventFilter(name, description, code, breakState, handled,
                first != null ? first : command, second != null ? second : secondChanceCommand);
    }

    /** The sx listing line(s). */
    public String describe() {
        StringBuilder sb = new StringBuilder(String.format("%4s - %s - %s", name, description, breakState.text()));
        if (isException()) {
            sb.append(handled ? " - handled" : " - not handled");
        }
        if (command != null) {
            sb.append(System.lineSeparator()).append("       Command: \"").append(command).append('"');
        }
        if (secondChanceCommand != null) {
            sb.append(System.lineSeparator()).append("       Second command: \"").append(secondChanceCommand).append('"');
        }
        return sb.toString();
    }
}
