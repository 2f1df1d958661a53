package dev.debugport.nt;

import java.util.Optional;

/**
 * {@code DBG_STATE}: the NewState of a DBGUI_WAIT_STATE_CHANGE ({@code spec/dbgk.md} §1.5).
 */
public enum DbgState {
    /** DbgIdle. */
    IDLE(0),
    /** DbgReplyPending. */
    REPLY_PENDING(1),
    /** DbgCreateThreadStateChange. */
    CREATE_THREAD(2),
    /** DbgCreateProcessStateChange. */
    CREATE_PROCESS(3),
    /** DbgExitThreadStateChange. */
    EXIT_THREAD(4),
    /** DbgExitProcessStateChange. */
    EXIT_PROCESS(5),
    /** DbgExceptionStateChange. */
    EXCEPTION(6),
    /** DbgBreakpointStateChange (exception code STATUS_BREAKPOINT). */
    BREAKPOINT(7),
    /** DbgSingleStepStateChange (exception code STATUS_SINGLE_STEP). */
    SINGLE_STEP(8),
    /** DbgLoadDllStateChange. */
    LOAD_DLL(9),
    /** DbgUnloadDllStateChange. */
    UNLOAD_DLL(10);

    private final int value;

    DbgState(int value) {
        this.value = value;
    }

    /** @return the numeric DBG_STATE */
    public int value() {
        return value;
    }

    /** @return true for the three states that carry a DBGKM_EXCEPTION (EXCEPTION, BREAKPOINT, SINGLE_STEP) */
    public boolean isException() {
        return this == EXCEPTION || this == BREAKPOINT || this == SINGLE_STEP;
    }

    /**
     * @param value a numeric DBG_STATE
     * @return the state, or empty when out of range (e.g. 11)
     */
    public static Optional<DbgState> fromValue(int value) {
        DbgState[] all = values();
        return value >= 0 && value < all.length ? Optional.of(all[value]) : Optional.empty();
    }
}
