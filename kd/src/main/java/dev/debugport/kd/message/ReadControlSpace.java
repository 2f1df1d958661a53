package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdReadControlSpaceApi} (ApiNumber {@code 0x3137}), union {@code DBGKD_READ_MEMORY64}.
 *
 * <p>Reads processor control space. On AMD64 TargetBaseAddress is a selector (0 KPCR pointer, 1 KPRCB
 * pointer, 2 KSPECIAL_REGISTERS, 3 current KTHREAD pointer); on x86 it is an offset into the
 * KPROCESSOR_STATE (special registers at 0x2CC). The header's Processor field picks the CPU.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3137 (DbgKdReadControlSpaceApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u64   TargetBaseAddress: selector (AMD64) or offset (x86)
 *     24 u32   TransferCount
 *     28 u32   ActualBytesRead (reply)
 *     32 24    (unused; don't-care)
 *     56 ...   extra data: reply: the bytes read
 * </pre>
 *
 * @param targetBaseAddress TargetBaseAddress: selector (AMD64) or offset (x86)
 * @param transferCount TransferCount
 * @param actualBytesRead ActualBytesRead (reply)
 */
public record ReadControlSpace(long targetBaseAddress, int transferCount, int actualBytesRead) implements ManipulateApi {

    /** @return a request for {@code count} bytes at {@code address} (a control-space selector or offset) */
    public static ReadControlSpace request(long address, int count) {
        return new ReadControlSpace(address, count, 0);
    }

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.READ_CONTROL_SPACE.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putLong(16, targetBaseAddress);
        b.putInt(24, transferCount);
        b.putInt(28, actualBytesRead);
    }

    static ReadControlSpace readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new ReadControlSpace(b.getLong(16), b.getInt(24), b.getInt(28));
    }
}
