package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdGetContextExApi} (ApiNumber {@code 0x315F}), union {@code DBGKD_CONTEXT_EX}.
 *
 * <p>Reads a window of the CONTEXT: ByteCount bytes from Offset. Offset + ByteCount beyond the CONTEXT
 * gets STATUS_UNSUCCESSFUL and BytesCopied 0. Newer WinDbg prefers it to GetContext.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x315F (DbgKdGetContextExApi)
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
 *     56 ...   extra data: reply: the bytes of the window
 * </pre>
 *
 * @param offset Offset
 * @param byteCount ByteCount
 * @param bytesCopied BytesCopied (reply)
 */
public record GetContextEx(int offset, int byteCount, int bytesCopied) implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.GET_CONTEXT_EX.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putInt(16, offset);
        b.putInt(20, byteCount);
        b.putInt(24, bytesCopied);
    }

    static GetContextEx readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new GetContextEx(b.getInt(16), b.getInt(20), b.getInt(24));
    }
}
