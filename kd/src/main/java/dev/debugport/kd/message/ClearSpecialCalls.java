package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdClearSpecialCallsApi} (ApiNumber {@code 0x3141}), union no union.
 *
 * <p>Empties the special-call table (ReactOS answers STATUS_UNSUCCESSFUL).
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3141 (DbgKdClearSpecialCallsApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 40    (union not used)
 *     56 ...   extra data (none)
 * </pre>
 */
public record ClearSpecialCalls() implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.CLEAR_SPECIAL_CALLS.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
    }

    static ClearSpecialCalls readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new ClearSpecialCalls();
    }
}
