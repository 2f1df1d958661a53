package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdWriteIoSpaceExtendedApi} (ApiNumber {@code 0x3145}), union {@code DBGKD_READ_WRITE_IO_EXTENDED64}.
 *
 * <p>Writes I/O space on a given bus, with the rules of ReadIoSpaceExtended.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3145 (DbgKdWriteIoSpaceExtendedApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u32   DataSize
 *     20 u32   InterfaceType
 *     24 u32   BusNumber
 *     28 u32   AddressSpace
 *     32 u64   IoAddress
 *     40 u32   DataValue
 *     44 12    (unused; don't-care)
 *     56 ...   extra data (none)
 * </pre>
 *
 * @param dataSize DataSize
 * @param interfaceType InterfaceType
 * @param busNumber BusNumber
 * @param addressSpace AddressSpace
 * @param ioAddress IoAddress
 * @param dataValue DataValue
 */
public record WriteIoSpaceExtended(int dataSize, int interfaceType, int busNumber, int addressSpace, long ioAddress, int dataValue) implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.WRITE_IO_SPACE_EXTENDED.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putInt(16, dataSize);
        b.putInt(20, interfaceType);
        b.putInt(24, busNumber);
        b.putInt(28, addressSpace);
        b.putLong(32, ioAddress);
        b.putInt(40, dataValue);
    }

    static WriteIoSpaceExtended readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new WriteIoSpaceExtended(b.getInt(16),
                b.getInt(20),
                b.getInt(24),
                b.getInt(28),
                b.getLong(32),
                b.getInt(40));
    }
}
