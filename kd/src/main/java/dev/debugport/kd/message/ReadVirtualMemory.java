package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdReadVirtualMemoryApi} (ApiNumber {@code 0x3130}), union {@code DBGKD_READ_MEMORY64}.
 *
 * <p>Reads target virtual memory. The target clamps TransferCount to 4000 - 56 = 3944, copies in
 * naturally aligned chunks and stops at the first inaccessible byte; the reply carries ActualBytesRead
 * and those bytes as extra data, with STATUS_SUCCESS only if all requested bytes were copied.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3130 (DbgKdReadVirtualMemoryApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u64   TargetBaseAddress: the first virtual address
 *     24 u32   TransferCount: bytes requested
 *     28 u32   ActualBytesRead: bytes copied (reply)
 *     32 24    (unused; don't-care)
 *     56 ...   extra data: reply: the bytes read
 * </pre>
 *
 * @param targetBaseAddress TargetBaseAddress: the first virtual address
 * @param transferCount TransferCount: bytes requested
 * @param actualBytesRead ActualBytesRead: bytes copied (reply)
 */
public record ReadVirtualMemory(long targetBaseAddress, int transferCount, int actualBytesRead) implements ManipulateApi {

    /** @return a request for {@code count} bytes at {@code address} (virtual) */
    public static ReadVirtualMemory request(long address, int count) {
        return new ReadVirtualMemory(address, count, 0);
    }

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.READ_VIRTUAL_MEMORY.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putLong(16, targetBaseAddress);
        b.putInt(24, transferCount);
        b.putInt(28, actualBytesRead);
    }

    static ReadVirtualMemory readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new ReadVirtualMemory(b.getLong(16), b.getInt(24), b.getInt(28));
    }
}
