package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdReadIoSpaceApi} (ApiNumber {@code 0x3139}), union {@code DBGKD_READ_WRITE_IO64}.
 *
 * <p>Reads an I/O port on ISA bus 0. DataSize 1, 2 or 4 (else STATUS_INVALID_PARAMETER); IoAddress %
 * DataSize must be 0 (else STATUS_DATATYPE_MISALIGNMENT). The reply updates DataSize to the bytes done
 * (0 on error) and DataValue.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3139 (DbgKdReadIoSpaceApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u64   IoAddress
 *     24 u32   DataSize
 *     28 u32   DataValue (reply)
 *     32 24    (unused; don't-care)
 *     56 ...   extra data (none)
 * </pre>
 *
 * @param ioAddress IoAddress
 * @param dataSize DataSize
 * @param dataValue DataValue (reply)
 */
public record ReadIoSpace(long ioAddress, int dataSize, int dataValue) implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.READ_IO_SPACE.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putLong(16, ioAddress);
        b.putInt(24, dataSize);
        b.putInt(28, dataValue);
    }

    static ReadIoSpace readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new ReadIoSpace(b.getLong(16), b.getInt(24), b.getInt(28));
    }
}
