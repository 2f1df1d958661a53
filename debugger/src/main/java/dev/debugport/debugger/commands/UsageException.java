package dev.debugport.debugger.commands;

/** Wrong arguments, or a command that cannot run now; the message is the one line the debugger prints. */
public final class UsageException extends Exception {
    /** Whether the command's usage line should follow the message. */
    private final boolean showUsage;

    private UsageException(String message, boolean showUsage) {
        super(message, null, false, false);
        this.showUsage = showUsage;
    }

    /** Bad arguments: prints {@code reason} and the usage line. */
    public static UsageException badArguments(String reason) {
        return new UsageException(reason, true);
    }

    /** For a command that takes no arguments: bad arguments unless {@code arguments} is empty. */
    public static void requireNone(String arguments) throws UsageException {
        if (!arguments.isEmpty()) {
            throw badArguments("no arguments are taken");
        }
    }

    /** A command that cannot run in this state (no target, target running...): only the message. */
    public static UsageException cannot(String message) {
        return new UsageException(message, false);
    }

    public boolean showUsage() {
        return showUsage;
    }
}
