package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdReadPhysicalMemoryApi} (ApiNumber {@code 0x313D}), union {@code DBGKD_READ_MEMORY64}.
 *
 * <p>Reads physical memory, with the rules of ReadVirtualMemory. In the request ActualBytesRead
 * carries a caching hint (0 default, 1 cached, 2 uncached, 3 write-combined).
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x313D (DbgKdReadPhysicalMemoryApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u64   TargetBaseAddress: the first physical address
 *     24 u32   TransferCount
 *     28 u32   ActualBytesRead (reply); the caching hint in the request
 *     32 24    (unused; don't-care)
 *     56 ...   extra data: reply: the bytes read
 * </pre>
 *
 * @param targetBaseAddress TargetBaseAddress: the first physical address
 * @param transferCount TransferCount
 * @param actualBytesRead ActualBytesRead (reply); the caching hint in the request
 */
public record ReadPhysicalMemory(long targetBaseAddress, int transferCount, int actualBytesRead) implements ManipulateApi {

    /** @return a request for {@code count} bytes at physical {@code address} with caching hint 0 (default) */
    public static ReadPhysicalMemory request(long address, int count) {
        return new ReadPhysicalMemory(address, count, 0);
    }

    /** @return the caching hint of a request (0 default, 1 cached, 2 uncached, 3 write-combined) */
    public int cachingHint() {
        return actualBytesRead;
    }

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.READ_PHYSICAL_MEMORY.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putLong(16, targetBaseAddress);
        b.putInt(24, transferCount);
        b.putInt(28, actualBytesRead);
    }

    static ReadPhysicalMemory readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new ReadPhysicalMemory(b.getLong(16), b.getInt(24), b.getInt(28));
    }
}
