package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdSwitchProcessor} (ApiNumber {@code 0x3150}), union no union.
 *
 * <p>Hands the debugger to the CPU named by the header's Processor field; no reply: that CPU sends its
 * own STATE_CHANGE64 (the current CPU re-sends its own if the number is the same or invalid).
 * <p><b>No reply packet</b>: the ACK is the only answer.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3150 (DbgKdSwitchProcessor)
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
public record SwitchProcessor() implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.SWITCH_PROCESSOR.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
    }

    static SwitchProcessor readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new SwitchProcessor();
    }
}
