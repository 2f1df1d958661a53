package dev.debugport.nt;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code DBGUI_WAIT_STATE_CHANGE}: what NtWaitForDebugEvent returns to the debugger.
 *
 * <p>NewState is kept as a raw int so that out-of-range states (which DbgUiConvertStateChangeStructure
 * must reject with STATUS_UNSUCCESSFUL) can be represented; {@link #state()} decodes it.
 *
 * @param newState    NewState, normally a {@link DbgState} value
 * @param appClientId AppClientId of the reporting thread
 * @param info        the StateInfo union
 */
public record DbguiWaitStateChange(int newState, ClientId appClientId, WaitStateInfo info) {

    /** The all-zero structure (DbgIdle, client id 0/0, no union member). */
    public static final DbguiWaitStateChange ZERO = new DbguiWaitStateChange(0, ClientId.NONE, WaitStateInfo.NONE);

    /** @throws NullPointerException if the client id or the info is null */
    public DbguiWaitStateChange {
        Objects.requireNonNull(appClientId, "appClientId");
        Objects.requireNonNull(info, "info");
    }

    /**
     * @param state       NewState
     * @param appClientId AppClientId
     * @param info        StateInfo
     * @return the structure
     */
    public static DbguiWaitStateChange of(DbgState state, ClientId appClientId, WaitStateInfo info) {
        return new DbguiWaitStateChange(state.value(), appClientId, info);
    }

    /** @return NewState decoded, or empty when it is not a valid DBG_STATE */
    public Optional<DbgState> state() {
        return DbgState.fromValue(newState);
    }
}
