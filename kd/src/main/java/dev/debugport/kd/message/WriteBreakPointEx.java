package dev.debugport.kd.message;

import dev.debugport.nt.NtStatus;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code DbgKdWriteBreakPointExApi} (ApiNumber {@code 0x3147}), union {@code DBGKD_BREAKPOINTEX}.
 *
 * <p>Writes several breakpoints at once (ReactOS answers STATUS_UNSUCCESSFUL).
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3147 (DbgKdWriteBreakPointExApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u32   BreakPointCount
 *     20 u32   ContinueStatus
 *     24 32    (unused; don't-care)
 *     56 ...   extra data (none)
 * </pre>
 *
 * @param breakPointCount BreakPointCount
 * @param continueStatus ContinueStatus
 */
public record WriteBreakPointEx(int breakPointCount, NtStatus continueStatus) implements ManipulateApi {

    /** Checks that the narrow fields fit their wire width. */
    public WriteBreakPointEx {
        Objects.requireNonNull(continueStatus, "continueStatus");
    }

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.WRITE_BREAKPOINT_EX.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putInt(16, breakPointCount);
        b.putInt(20, continueStatus.value());
    }

    static WriteBreakPointEx readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new WriteBreakPointEx(b.getInt(16), NtStatus.of(b.getInt(20)));
    }
}
