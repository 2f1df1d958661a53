package dev.debugport.debugger.session;

/**
 * Why an execution command returned to the prompt.
 *
 * @param kind     what happened
 * @param commands commands to run now (a breakpoint's command string, an sx -c / -c2 command), or null
 * @param resume   whether the target goes on after those commands (the event itself does not break)
 */
public record Stop(Kind kind, String commands, boolean resume) {
    /** What stopped the target. */
    public enum Kind {
        /** A bp/bu/bm/ba breakpoint broke (pass count run down). */
        BREAKPOINT,
        /** A t/p/gu finished. */
        STEP,
        /** An exception (or the initial breakpoint) the event filters break on. */
        EXCEPTION,
        /** The user broke in (Ctrl-C). */
        BREAK_IN,
        /** A non-exception event the filters break on (sxe ld, sxe ct...). */
        EVENT,
        /** The last debuggee exited or was killed: nothing left to run. */
        NO_TARGETS,
        /** A debuggee went away (.kill) and others remain; nothing is stopped. */
        RUNNING_OTHERS
    }

    public static Stop of(Kind kind) {
        return new Stop(kind, null, false);
    }
}
