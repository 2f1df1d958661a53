package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdSwitchPartition} (ApiNumber {@code 0x315D}), union {@code DBGKD_SWITCH_PARTITION}.
 *
 * <p>Switches the debugged hypervisor partition (ReactOS answers STATUS_UNSUCCESSFUL).
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x315D (DbgKdSwitchPartition)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u32   Partition
 *     20 36    (unused; don't-care)
 *     56 ...   extra data (none)
 * </pre>
 *
 * @param partition Partition
 */
public record SwitchPartition(int partition) implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.SWITCH_PARTITION.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putInt(16, partition);
    }

    static SwitchPartition readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new SwitchPartition(b.getInt(16));
    }
}
