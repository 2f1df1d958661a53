package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdQueryMemoryApi} (ApiNumber {@code 0x315C}), union {@code DBGKD_QUERY_MEMORY}.
 *
 * <p>Asks what an address is. The request's AddressSpace must be 0 (virtual), else
 * STATUS_INVALID_PARAMETER; the reply sets AddressSpace (0 process, 1 session, 2 kernel) and Flags
 * (READ 1 | WRITE 2 | EXECUTE 4 | FIXED 8).
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x315C (DbgKdQueryMemoryApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u64   Address
 *     24 u64   Reserved
 *     32 u32   AddressSpace
 *     36 u32   Flags
 *     40 16    (unused; don't-care)
 *     56 ...   extra data (none)
 * </pre>
 *
 * @param address Address
 * @param reserved Reserved
 * @param addressSpace AddressSpace
 * @param flags Flags
 */
public record QueryMemory(long address, long reserved, int addressSpace, int flags) implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.QUERY_MEMORY.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putLong(16, address);
        b.putLong(24, reserved);
        b.putInt(32, addressSpace);
        b.putInt(36, flags);
    }

    static QueryMemory readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new QueryMemory(b.getLong(16), b.getLong(24), b.getInt(32), b.getInt(36));
    }
}
