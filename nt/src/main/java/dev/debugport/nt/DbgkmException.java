package dev.debugport.nt;

import java.util.Objects;

/**
 * {@code DBGKM_EXCEPTION}: an exception report.
 *
 * @param exceptionRecord the full EXCEPTION_RECORD
 * @param firstChance     FirstChance: true for the first-chance report, false for the second (last) chance
 */
public record DbgkmException(ExceptionRecord exceptionRecord, boolean firstChance) implements DbgkmPayload {

    /** @throws NullPointerException if the record is null */
    public DbgkmException {
        Objects.requireNonNull(exceptionRecord, "exceptionRecord");
    }

    @Override
    public DbgkmApiNumber apiNumber() {
        return DbgkmApiNumber.EXCEPTION;
    }
}
