package dev.debugport.debugger.events;

import dev.debugport.nt.NtStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * cdb's event filters with their default states (learn.microsoft.com, "Controlling Exceptions and Events"): the
 * events, the named exceptions, and {@code *} for every other exception. sxr puts these defaults back.
 */
public final class EventFilterTable {
    /** The name of the row for exceptions no other row names. */
    public static final String OTHER = "*";
    /** Rows whose -h form is implied: their sx commands change the handling status (cc, hc, bpec, ssec). */
    private static final List<String> HANDLING_ONLY = List.of("cc", "hc", "bpec", "ssec");

    private final Map<String, EventFilter> rows = new LinkedHashMap<>();

    public EventFilterTable() {
        reset();
    }

    /** sxr: every filter back to its default. */
    public void reset() {
        rows.clear();
        event("ct", "Create thread", BreakState.IGNORE);
        event("et", "Exit thread", BreakState.IGNORE);
        event("cpr", "Create process", BreakState.IGNORE);
        event("epr", "Exit process", BreakState.IGNORE);
        event("ld", "Load module", BreakState.OUTPUT);
        event("ud", "Unload module", BreakState.OUTPUT);
        event("ser", "System error", BreakState.IGNORE);
        event("ibp", "Initial breakpoint", BreakState.BREAK);
        event("iml", "Initial module load", BreakState.IGNORE);
        event("out", "Debuggee output", BreakState.OUTPUT);
        exception("av", "Access violation", NtStatus.STATUS_ACCESS_VIOLATION.value(), BreakState.BREAK, false);
        exception("asrt", "Assertion failure", NtStatus.STATUS_ASSERTION_FAILURE.value(), BreakState.BREAK, false);
        exception("bpe", "Break instruction exception", NtStatus.STATUS_BREAKPOINT.value(), BreakState.BREAK, true);
        exception("eh", "C++ EH exception", 0xE06D7363, BreakState.SECOND_CHANCE, false);
        exception("cc", "Control-C exception", NtStatus.DBG_CONTROL_C.value(), BreakState.BREAK, true);
        exception("dm", "Data misaligned", NtStatus.STATUS_DATATYPE_MISALIGNMENT.value(), BreakState.BREAK, false);
        exception("ii", "Illegal instruction", NtStatus.STATUS_ILLEGAL_INSTRUCTION.value(), BreakState.SECOND_CHANCE, false);
        exception("ip", "In-page I/O error", NtStatus.STATUS_IN_PAGE_ERROR.value(), BreakState.BREAK, false);
        exception("dz", "Integer divide-by-zero", NtStatus.STATUS_INTEGER_DIVIDE_BY_ZERO.value(), BreakState.BREAK, false);
        exception("iov", "Integer overflow", NtStatus.STATUS_INTEGER_OVERFLOW.value(), BreakState.BREAK, false);
        exception("ch", "Invalid handle", NtStatus.STATUS_INVALID_HANDLE.value(), BreakState.BREAK, false);
        exception("isc", "Invalid system call", 0xC000001C, BreakState.BREAK, false);
        exception("sse", "Single step exception", NtStatus.STATUS_SINGLE_STEP.value(), BreakState.BREAK, true);
        exception("sbo", "Security check failure or stack buffer overrun", NtStatus.STATUS_STACK_BUFFER_OVERRUN.value(), BreakState.BREAK, false);
        exception("sov", "Stack overflow", NtStatus.STATUS_STACK_OVERFLOW.value(), BreakState.BREAK, false);
        exception("wob", "WOW64 breakpoint", NtStatus.STATUS_WX86_BREAKPOINT.value(), BreakState.BREAK, true);
        rows.put(OTHER, new EventFilter(OTHER, "Other exception", 0, BreakState.SECOND_CHANCE, false, null, null));
    }

    private void event(String name, String description, BreakState state) {
        rows.put(name, new EventFilter(name, description, null, state, true, null, null));
    }

    private void exception(String name, String description, int code, BreakState state, boolean handled) {
        rows.put(name, new EventFilter(name, description, code, state, handled, null, null));
    }

    /** Every row, in sx's order (user-added exception codes after the named ones, the {@code *} row last). */
    public List<EventFilter> rows() {
        List<EventFilter> list = new ArrayList<>(rows.values());
        list.remove(rows.get(OTHER));
        list.add(rows.get(OTHER));
        return list;
    }

    /** The row for an event name (ld, ibp...). */
    public EventFilter event(String name) {
        return rows.get(name);
    }

    /** The row for an exception code: its own, or {@code *}. */
    public EventFilter forException(int code) {
        for (EventFilter f : rows.values()) {
            if (f.isException() && f.code() == code && !f.name().equals(OTHER)) {
                return f;
            }
        }
        return rows.get(OTHER);
    }

    /**
     * The row an sx argument names: a short name, {@code *}, or an exception code (a new row is added for a code no
     * row names yet).
     */
    public Optional<EventFilter> lookupOrAdd(String argument, java.util.function.Function<String, java.util.OptionalLong> number) {
        String key = argument.toLowerCase(Locale.ROOT);
        if (rows.containsKey(key)) {
            return Optional.of(rows.get(key));
        }
        java.util.OptionalLong code = number.apply(argument);
        if (code.isEmpty()) {
            return Optional.empty();
        }
        int c = (int) code.getAsLong();
        EventFilter existing = forException(c);
        if (!existing.name().equals(OTHER)) {
            return Optional.of(existing);
        }
        String name = String.format("%08x", c);
        EventFilter added = new EventFilter(name, "Exception " + name, c, existing.breakState(), existing.handled(), null, null);
        rows.put(name, added);
        return Optional.of(added);
    }

    /** Replaces a row (same name). */
    public void update(EventFilter filter) {
        rows.put(filter.name(), filter);
    }

    /** Whether an sx command on this row changes its handling status rather than its break status. */
    public static boolean handlingOnly(EventFilter filter) {
        return HANDLING_ONLY.contains(filter.name());
    }
}
