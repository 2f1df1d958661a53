package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdWriteMachineSpecificRegister} (ApiNumber {@code 0x3153}), union {@code DBGKD_READ_WRITE_MSR}.
 *
 * <p>Writes an MSR; STATUS_NO_SUCH_DEVICE for an unknown MSR.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3153 (DbgKdWriteMachineSpecificRegister)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u32   Msr
 *     20 u32   DataValueLow
 *     24 u32   DataValueHigh
 *     28 28    (unused; don't-care)
 *     56 ...   extra data (none)
 * </pre>
 *
 * @param msr Msr
 * @param dataValueLow DataValueLow
 * @param dataValueHigh DataValueHigh
 */
public record WriteMachineSpecificRegister(int msr, int dataValueLow, int dataValueHigh) implements ManipulateApi {

    /** @return a request to write MSR {@code msr}, with {@code value} split into its halves */
    public static WriteMachineSpecificRegister of(int msr, long value) {
        return new WriteMachineSpecificRegister(msr, (int) value, (int) (value >>> 32));
    }

    /** @return DataValueHigh:DataValueLow as one 64-bit value */
    public long value() {
        return (long) dataValueHigh << 32 | Integer.toUnsignedLong(dataValueLow);
    }

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.WRITE_MACHINE_SPECIFIC_REGISTER.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putInt(16, msr);
        b.putInt(20, dataValueLow);
        b.putInt(24, dataValueHigh);
    }

    static WriteMachineSpecificRegister readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new WriteMachineSpecificRegister(b.getInt(16), b.getInt(20), b.getInt(24));
    }
}
