package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdSetContextApi} (ApiNumber {@code 0x3133}), union {@code DBGKD_SET_CONTEXT}.
 *
 * <p>Replaces the CONTEXT of the selected processor with the one in the extra data. Fails with
 * STATUS_UNSUCCESSFUL unless a GetContext was answered earlier in the same stop. No data in the reply.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3133 (DbgKdSetContextApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u32   ContextFlags
 *     20 36    (unused; don't-care)
 *     56 ...   extra data: request: a full CONTEXT
 * </pre>
 *
 * @param contextFlags ContextFlags
 */
public record SetContext(int contextFlags) implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.SET_CONTEXT.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putInt(16, contextFlags);
    }

    static SetContext readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new SetContext(b.getInt(16));
    }
}
