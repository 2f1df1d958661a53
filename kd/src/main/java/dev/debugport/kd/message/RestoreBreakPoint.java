package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdRestoreBreakPointApi} (ApiNumber {@code 0x3135}), union {@code DBGKD_RESTORE_BREAKPOINT}.
 *
 * <p>Removes a software breakpoint, putting the original byte back; STATUS_UNSUCCESSFUL for an unknown
 * or free handle.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3135 (DbgKdRestoreBreakPointApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u32   BreakPointHandle
 *     20 36    (unused; don't-care)
 *     56 ...   extra data (none)
 * </pre>
 *
 * @param breakPointHandle BreakPointHandle
 */
public record RestoreBreakPoint(int breakPointHandle) implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.RESTORE_BREAKPOINT.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putInt(16, breakPointHandle);
    }

    static RestoreBreakPoint readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new RestoreBreakPoint(b.getInt(16));
    }
}
