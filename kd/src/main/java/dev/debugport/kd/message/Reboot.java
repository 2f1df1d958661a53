package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdRebootApi} (ApiNumber {@code 0x313B}), union no union.
 *
 * <p>Reboots the target; no reply. Afterwards the target starts again from packet id 0x80800800.
 * <p><b>No reply packet</b>: the ACK is the only answer.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x313B (DbgKdRebootApi)
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
public record Reboot() implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.REBOOT.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
    }

    static Reboot readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new Reboot();
    }
}
