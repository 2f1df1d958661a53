package dev.debugport.kd.message;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * NewState {@code DbgKdExceptionStateChange} ({@code 0x3030}): union {@code DBGKM_EXCEPTION64}, the
 * exception record and whether this is the first chance.
 *
 * <pre>
 *  offset size  field (of DBGKD_WAIT_STATE_CHANGE64)
 *     32 152   EXCEPTION_RECORD64 (ExceptionCode @32, ExceptionFlags @36, ExceptionRecord @40,
 *              ExceptionAddress @48, NumberParameters @56, ExceptionInformation[15] @64..183)
 *    184 u32   FirstChance: 1 first chance, 0 second chance
 *    188 u32   (padding)
 * </pre>
 *
 * A break-in or {@code int3} stop: code {@code 0x80000003}, NumberParameters 1, Information[0] = 0
 * (BREAKPOINT_BREAK), address = PC; a single step: {@code 0x80000004}.
 *
 * @param exceptionRecord the exception
 * @param firstChance FirstChance (decoded: non-zero)
 */
public record ExceptionStateChange(ExceptionRecord64 exceptionRecord, boolean firstChance) implements StateChangeInfo {

    /** Checks the record is present. */
    public ExceptionStateChange {
        Objects.requireNonNull(exceptionRecord, "exceptionRecord");
    }

    @Override
    public int stateCode() {
        return EXCEPTION;
    }

    @Override
    public void writeUnion(ByteBuffer b) {
        exceptionRecord.writeTo(b, 32);
        b.putInt(184, firstChance ? 1 : 0);
    }

    static ExceptionStateChange readUnion(ByteBuffer b) {
        return new ExceptionStateChange(ExceptionRecord64.readFrom(b, 32), b.getInt(184) != 0);
    }
}
