package dev.debugport.nt;

import java.util.Objects;

/**
 * The Win32 {@code DEBUG_EVENT} structure that WaitForDebugEvent fills in.
 *
 * @param code      dwDebugEventCode; must match {@code info.code()}
 * @param processId dwProcessId
 * @param threadId  dwThreadId
 * @param info      the union member for {@code code}
 */
public record DebugEvent(DebugEventCode code, int processId, int threadId, DebugEventInfo info) {

    /**
     * @throws NullPointerException     if the code or the info is null
     * @throws IllegalArgumentException if the info is not the union member for the code
     */
    public DebugEvent {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(info, "info");
        if (info.code() != code) {
            throw new IllegalArgumentException(code + " cannot carry " + info.getClass().getSimpleName());
        }
    }

    /**
     * @param processId dwProcessId
     * @param threadId  dwThreadId
     * @param info      the union member; it determines dwDebugEventCode
     * @return the event
     */
    public static DebugEvent of(int processId, int threadId, DebugEventInfo info) {
        Objects.requireNonNull(info, "info");
        return new DebugEvent(info.code(), processId, threadId, info);
    }
}
