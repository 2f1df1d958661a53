package dev.debugport.kd.message;

import dev.debugport.nt.NtStatus;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code DbgKdContinueApi} (ApiNumber {@code 0x3136}), union {@code DBGKD_CONTINUE}.
 *
 * <p>Resumes the target; there is no reply packet, only the ACK. NT_SUCCESS(ContinueStatus)
 * (DBG_CONTINUE, DBG_EXCEPTION_HANDLED) means handled; otherwise (DBG_EXCEPTION_NOT_HANDLED) exception
 * dispatch goes on.
 * <p><b>No reply packet</b>: the ACK is the only answer.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3136 (DbgKdContinueApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u32   ContinueStatus
 *     20 36    (unused; don't-care)
 *     56 ...   extra data (none)
 * </pre>
 *
 * @param continueStatus ContinueStatus
 */
public record Continue(NtStatus continueStatus) implements ManipulateApi {

    /** Checks that the narrow fields fit their wire width. */
    public Continue {
        Objects.requireNonNull(continueStatus, "continueStatus");
    }

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.CONTINUE.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putInt(16, continueStatus.value());
    }

    static Continue readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new Continue(NtStatus.of(b.getInt(16)));
    }
}
