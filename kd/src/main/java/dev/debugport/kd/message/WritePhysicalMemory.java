package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdWritePhysicalMemoryApi} (ApiNumber {@code 0x313E}), union {@code DBGKD_WRITE_MEMORY64}.
 *
 * <p>Writes physical memory.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x313E (DbgKdWritePhysicalMemoryApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u64   TargetBaseAddress: the first physical address
 *     24 u32   TransferCount
 *     28 u32   ActualBytesWritten (reply)
 *     32 24    (unused; don't-care)
 *     56 ...   extra data: request: the bytes to write
 * </pre>
 *
 * @param targetBaseAddress TargetBaseAddress: the first physical address
 * @param transferCount TransferCount
 * @param actualBytesWritten ActualBytesWritten (reply)
 */
public record WritePhysicalMemory(long targetBaseAddress, int transferCount, int actualBytesWritten) implements ManipulateApi {

    /** @return a request to write {@code count} bytes at {@code address} (physical); the bytes go in the extra data */
    public static WritePhysicalMemory request(long address, int count) {
        return new WritePhysicalMemory(address, count, 0);
    }

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.WRITE_PHYSICAL_MEMORY.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putLong(16, targetBaseAddress);
        b.putInt(24, transferCount);
        b.putInt(28, actualBytesWritten);
    }

    static WritePhysicalMemory readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new WritePhysicalMemory(b.getLong(16), b.getInt(24), b.getInt(28));
    }
}
