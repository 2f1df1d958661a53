package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdQuerySpecialCallsApi} (ApiNumber {@code 0x313F}), union {@code DBGKD_QUERY_SPECIAL_CALLS}.
 *
 * <p>Queries the special-call table of the old instruction-counting breakpoints (ReactOS answers
 * STATUS_UNSUCCESSFUL). Layout from windbgkd.h; kd.md does not give it.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x313F (DbgKdQuerySpecialCallsApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u32   NumberOfSpecialCalls
 *     20 36    (unused; don't-care)
 *     56 ...   extra data (none)
 * </pre>
 *
 * @param numberOfSpecialCalls NumberOfSpecialCalls
 */
public record QuerySpecialCalls(int numberOfSpecialCalls) implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.QUERY_SPECIAL_CALLS.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putInt(16, numberOfSpecialCalls);
    }

    static QuerySpecialCalls readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new QuerySpecialCalls(b.getInt(16));
    }
}
