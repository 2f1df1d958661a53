package dev.debugport.nt;

import java.util.Optional;

/**
 * The Win32 {@code DEBUG_EVENT.dwDebugEventCode} values ({@code spec/dbgk.md} §1.5).
 */
public enum DebugEventCode {
    /** EXCEPTION_DEBUG_EVENT. */
    EXCEPTION_DEBUG_EVENT(1),
    /** CREATE_THREAD_DEBUG_EVENT. */
    CREATE_THREAD_DEBUG_EVENT(2),
    /** CREATE_PROCESS_DEBUG_EVENT. */
    CREATE_PROCESS_DEBUG_EVENT(3),
    /** EXIT_THREAD_DEBUG_EVENT. */
    EXIT_THREAD_DEBUG_EVENT(4),
    /** EXIT_PROCESS_DEBUG_EVENT. */
    EXIT_PROCESS_DEBUG_EVENT(5),
    /** LOAD_DLL_DEBUG_EVENT. */
    LOAD_DLL_DEBUG_EVENT(6),
    /** UNLOAD_DLL_DEBUG_EVENT. */
    UNLOAD_DLL_DEBUG_EVENT(7),
    /** OUTPUT_DEBUG_STRING_EVENT. */
    OUTPUT_DEBUG_STRING_EVENT(8),
    /** RIP_EVENT. */
    RIP_EVENT(9);

    private final int value;

    DebugEventCode(int value) {
        this.value = value;
    }

    /** @return the numeric dwDebugEventCode */
    public int value() {
        return value;
    }

    /**
     * @param value a numeric dwDebugEventCode
     * @return the code, or empty when out of range
     */
    public static Optional<DebugEventCode> fromValue(int value) {
        DebugEventCode[] all = values();
        return value >= 1 && value <= all.length ? Optional.of(all[value - 1]) : Optional.empty();
    }
}
