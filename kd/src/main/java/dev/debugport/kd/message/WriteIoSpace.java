package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdWriteIoSpaceApi} (ApiNumber {@code 0x313A}), union {@code DBGKD_READ_WRITE_IO64}.
 *
 * <p>Writes an I/O port on ISA bus 0, with the same size and alignment rules as ReadIoSpace.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x313A (DbgKdWriteIoSpaceApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u64   IoAddress
 *     24 u32   DataSize
 *     28 u32   DataValue
 *     32 24    (unused; don't-care)
 *     56 ...   extra data (none)
 * </pre>
 *
 * @param ioAddress IoAddress
 * @param dataSize DataSize
 * @param dataValue DataValue
 */
public record WriteIoSpace(long ioAddress, int dataSize, int dataValue) implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.WRITE_IO_SPACE.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putLong(16, ioAddress);
        b.putInt(24, dataSize);
        b.putInt(28, dataValue);
    }

    static WriteIoSpace readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new WriteIoSpace(b.getLong(16), b.getInt(24), b.getInt(28));
    }
}
