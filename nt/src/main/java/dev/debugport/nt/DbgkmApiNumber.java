package dev.debugport.nt;

import java.util.Optional;

/**
 * {@code DBGKM_APINUMBER}: the message number of a DBGKM_APIMSG ({@code spec/dbgk.md} §1.5).
 * ErrorReport is never queued to a debug object; DbgKmMaxApiNumber (8) is not a message.
 */
public enum DbgkmApiNumber {
    /** DbgKmExceptionApi. */
    EXCEPTION(0),
    /** DbgKmCreateThreadApi. */
    CREATE_THREAD(1),
    /** DbgKmCreateProcessApi. */
    CREATE_PROCESS(2),
    /** DbgKmExitThreadApi. */
    EXIT_THREAD(3),
    /** DbgKmExitProcessApi. */
    EXIT_PROCESS(4),
    /** DbgKmLoadDllApi. */
    LOAD_DLL(5),
    /** DbgKmUnloadDllApi. */
    UNLOAD_DLL(6),
    /** DbgKmErrorReportApi (never queued to a debug object). */
    ERROR_REPORT(7);

    private final int value;

    DbgkmApiNumber(int value) {
        this.value = value;
    }

    /** @return the numeric DBGKM_APINUMBER */
    public int value() {
        return value;
    }

    /**
     * @param value a numeric DBGKM_APINUMBER
     * @return the message number, or empty when out of range
     */
    public static Optional<DbgkmApiNumber> fromValue(int value) {
        DbgkmApiNumber[] all = values();
        return value >= 0 && value < all.length ? Optional.of(all[value]) : Optional.empty();
    }
}
