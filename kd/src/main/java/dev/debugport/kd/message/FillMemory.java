package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdFillMemoryApi} (ApiNumber {@code 0x315B}), union {@code DBGKD_FILL_MEMORY}.
 *
 * <p>Fills memory with a repeated pattern (ReactOS answers STATUS_UNSUCCESSFUL).
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x315B (DbgKdFillMemoryApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u64   Address
 *     24 u32   Length
 *     28 u16   Flags: 1 virtual, 2 physical
 *     30 u16   PatternLength
 *     32 24    (unused; don't-care)
 *     56 ...   extra data: request: the pattern
 * </pre>
 *
 * @param address Address
 * @param length Length
 * @param flags Flags: 1 virtual, 2 physical
 * @param patternLength PatternLength
 */
public record FillMemory(long address, int length, int flags, int patternLength) implements ManipulateApi {

    /** Checks that the narrow fields fit their wire width. */
    public FillMemory {
        Fields.u16(flags, "flags");
        Fields.u16(patternLength, "patternLength");
    }

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.FILL_MEMORY.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putLong(16, address);
        b.putInt(24, length);
        b.putShort(28, (short) flags);
        b.putShort(30, (short) patternLength);
    }

    static FillMemory readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new FillMemory(b.getLong(16),
                b.getInt(24),
                Short.toUnsignedInt(b.getShort(28)),
                Short.toUnsignedInt(b.getShort(30)));
    }
}
