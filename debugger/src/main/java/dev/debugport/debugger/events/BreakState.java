package dev.debugport.debugger.events;

/** The break status of an event filter (sxe, sxd, sxn, sxi). */
public enum BreakState {
    /** sxe: break at the first chance (and at the second). */
    BREAK("break"),
    /** sxd: print at the first chance, break only at the second. */
    SECOND_CHANCE("second-chance break"),
    /** sxn: print and go on. */
    OUTPUT("output"),
    /** sxi: go on silently. */
    IGNORE("ignore");

    private final String text;

    BreakState(String text) {
        this.text = text;
    }

    /** As sx lists it. */
    public String text() {
        return text;
    }

    /** Whether the debugger stops for an occurrence at this chance. */
    public boolean breaksAt(boolean firstChance) {
        return this == BREAK || (this == SECOND_CHANCE && !firstChance);
    }

    /** Whether an occurrence that does not break is printed. */
    public boolean prints() {
        return this != IGNORE;
    }
}
