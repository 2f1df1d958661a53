package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdGetBusDataApi} (ApiNumber {@code 0x3157}), union {@code DBGKD_GET_SET_BUS_DATA}.
 *
 * <p>Reads bus configuration data (e.g. PCI config space); the reply carries the data and an updated
 * Length.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3157 (DbgKdGetBusDataApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u32   BusDataType
 *     20 u32   BusNumber
 *     24 u32   SlotNumber
 *     28 u32   Offset
 *     32 u32   Length
 *     36 20    (unused; don't-care)
 *     56 ...   extra data: reply: the data read
 * </pre>
 *
 * @param busDataType BusDataType
 * @param busNumber BusNumber
 * @param slotNumber SlotNumber
 * @param offset Offset
 * @param length Length
 */
public record GetBusData(int busDataType, int busNumber, int slotNumber, int offset, int length) implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.GET_BUS_DATA.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putInt(16, busDataType);
        b.putInt(20, busNumber);
        b.putInt(24, slotNumber);
        b.putInt(28, offset);
        b.putInt(32, length);
    }

    static GetBusData readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new GetBusData(b.getInt(16),
                b.getInt(20),
                b.getInt(24),
                b.getInt(28),
                b.getInt(32));
    }
}
