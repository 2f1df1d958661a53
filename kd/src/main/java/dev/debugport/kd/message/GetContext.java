package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdGetContextApi} (ApiNumber {@code 0x3132}), union {@code DBGKD_GET_CONTEXT}.
 *
 * <p>Reads the CONTEXT of the processor named by the header's Processor field (the live trap context
 * for the current CPU, the frozen context for another). The reply carries the whole CONTEXT (1232
 * bytes on AMD64, 716 on x86) as extra data; an invalid processor gets STATUS_UNSUCCESSFUL and no
 * data. Answering it allows a SetContext in the same stop.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3132 (DbgKdGetContextApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u32   Unused
 *     20 36    (unused; don't-care)
 *     56 ...   extra data: reply: the CONTEXT
 * </pre>
 *
 * @param unused Unused
 */
public record GetContext(int unused) implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.GET_CONTEXT.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putInt(16, unused);
    }

    static GetContext readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new GetContext(b.getInt(16));
    }
}
