package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdSetContextExApi} (ApiNumber {@code 0x3160}), union {@code DBGKD_CONTEXT_EX}.
 *
 * <p>Replaces a window of the CONTEXT with the extra data.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3160 (DbgKdSetContextExApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u32   Offset
 *     20 u32   ByteCount
 *     24 u32   BytesCopied (reply)
 *     28 28    (unused; don't-care)
 *     56 ...   extra data: request: the bytes of the window
 * </pre>
 *
 * @param offset Offset
 * @param byteCount ByteCount
 * @param bytesCopied BytesCopied (reply)
 */
public record SetContextEx(int offset, int byteCount, int bytesCopied) implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.SET_CONTEXT_EX.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putInt(16, offset);
        b.putInt(20, byteCount);
        b.putInt(24, bytesCopied);
    }

    static SetContextEx readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new SetContextEx(b.getInt(16), b.getInt(20), b.getInt(24));
    }
}
