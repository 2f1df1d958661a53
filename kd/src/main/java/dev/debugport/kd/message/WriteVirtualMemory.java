package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdWriteVirtualMemoryApi} (ApiNumber {@code 0x3131}), union {@code DBGKD_WRITE_MEMORY64}.
 *
 * <p>Writes target virtual memory. TransferCount is the number of data bytes following the header
 * (WinDbg sends at most 3944); the reply carries ActualBytesWritten and no data.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3131 (DbgKdWriteVirtualMemoryApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u64   TargetBaseAddress: the first virtual address
 *     24 u32   TransferCount: bytes to write
 *     28 u32   ActualBytesWritten: bytes written (reply)
 *     32 24    (unused; don't-care)
 *     56 ...   extra data: request: the bytes to write
 * </pre>
 *
 * @param targetBaseAddress TargetBaseAddress: the first virtual address
 * @param transferCount TransferCount: bytes to write
 * @param actualBytesWritten ActualBytesWritten: bytes written (reply)
 */
public record WriteVirtualMemory(long targetBaseAddress, int transferCount, int actualBytesWritten) implements ManipulateApi {

    /** @return a request to write {@code count} bytes at {@code address} (virtual); the bytes go in the extra data */
    public static WriteVirtualMemory request(long address, int count) {
        return new WriteVirtualMemory(address, count, 0);
    }

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.WRITE_VIRTUAL_MEMORY.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putLong(16, targetBaseAddress);
        b.putInt(24, transferCount);
        b.putInt(28, actualBytesWritten);
    }

    static WriteVirtualMemory readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new WriteVirtualMemory(b.getLong(16), b.getInt(24), b.getInt(28));
    }
}
