package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdSetSpecialCallApi} (ApiNumber {@code 0x3140}), union {@code DBGKD_SET_SPECIAL_CALL64}.
 *
 * <p>Adds an entry to the special-call table (ReactOS answers STATUS_UNSUCCESSFUL). Layout from
 * windbgkd.h; kd.md does not give it.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3140 (DbgKdSetSpecialCallApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u64   SpecialCall
 *     24 32    (unused; don't-care)
 *     56 ...   extra data (none)
 * </pre>
 *
 * @param specialCall SpecialCall
 */
public record SetSpecialCall(long specialCall) implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.SET_SPECIAL_CALL.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putLong(16, specialCall);
    }

    static SetSpecialCall readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new SetSpecialCall(b.getLong(16));
    }
}
