package dev.debugport.kd.message;

import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.NtStatus;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code EXCEPTION_RECORD64}: the exception record of a state change, with every pointer widened to 64
 * bits (32-bit targets sign-extend them). 152 bytes:
 *
 * <pre>
 *  offset size  field
 *      0 u32   ExceptionCode
 *      4 u32   ExceptionFlags
 *      8 u64   ExceptionRecord (address of a chained record, not the record)
 *     16 u64   ExceptionAddress
 *     24 u32   NumberParameters
 *     28 u32   (padding)
 *     32 u64[15] ExceptionInformation
 *    152
 * </pre>
 *
 * All 15 ExceptionInformation slots are kept, whatever NumberParameters says, so that a decoded record
 * re-encodes to the same bytes.
 *
 * @param exceptionCode ExceptionCode
 * @param exceptionFlags ExceptionFlags
 * @param exceptionRecord ExceptionRecord: the chained record's address, 0 if none
 * @param exceptionAddress ExceptionAddress
 * @param numberParameters NumberParameters as on the wire (meaningful values are 0..15)
 * @param exceptionInformation ExceptionInformation, padded with zeros to 15 entries
 */
public record ExceptionRecord64(int exceptionCode, int exceptionFlags, long exceptionRecord, long exceptionAddress,
                                int numberParameters, List<Long> exceptionInformation) {

    /** {@code EXCEPTION_MAXIMUM_PARAMETERS}. */
    public static final int EXCEPTION_MAXIMUM_PARAMETERS = 15;
    /** Size on the wire. */
    public static final int SIZE = 152;

    /** Copies and pads the information array. */
    public ExceptionRecord64 {
        Objects.requireNonNull(exceptionInformation, "exceptionInformation");
        if (exceptionInformation.size() > EXCEPTION_MAXIMUM_PARAMETERS) {
            throw new IllegalArgumentException("at most 15 parameters");
        }
        List<Long> padded = new ArrayList<>(exceptionInformation);
        while (padded.size() < EXCEPTION_MAXIMUM_PARAMETERS) {
            padded.add(0L);
        }
        exceptionInformation = List.copyOf(padded);
    }

    /** @return a record with no flags and no chained record; NumberParameters = {@code information.length} */
    public static ExceptionRecord64 of(NtStatus code, long address, long... information) {
        List<Long> info = new ArrayList<>();
        for (long v : information) {
            info.add(v);
        }
        return new ExceptionRecord64(code.value(), 0, 0, address, information.length, info);
    }

    /**
     * @return the 64-bit form of an NT {@link ExceptionRecord}; a nested record becomes a chained address of
     *         {@code chainedAddress} (the wire carries only its address)
     */
    public static ExceptionRecord64 fromNt(ExceptionRecord record, long chainedAddress) {
        return new ExceptionRecord64(record.code(), record.flags(), record.nested() == null ? 0 : chainedAddress,
                record.address(), record.information().size(), record.information());
    }

    /** @return the exception code as a status */
    public NtStatus code() {
        return NtStatus.of(exceptionCode);
    }

    /** @return ExceptionInformation[i] */
    public long information(int i) {
        return exceptionInformation.get(i);
    }

    void writeTo(ByteBuffer b, int at) {
        b.putInt(at, exceptionCode);
        b.putInt(at + 4, exceptionFlags);
        b.putLong(at + 8, exceptionRecord);
        b.putLong(at + 16, exceptionAddress);
        b.putInt(at + 24, numberParameters);
        for (int i = 0; i < EXCEPTION_MAXIMUM_PARAMETERS; i++) {
            b.putLong(at + 32 + 8 * i, exceptionInformation.get(i));
        }
    }

    static ExceptionRecord64 readFrom(ByteBuffer b, int at) {
        List<Long> info = new ArrayList<>(EXCEPTION_MAXIMUM_PARAMETERS);
        for (int i = 0; i < EXCEPTION_MAXIMUM_PARAMETERS; i++) {
            info.add(b.getLong(at + 32 + 8 * i));
        }
        return new ExceptionRecord64(b.getInt(at), b.getInt(at + 4), b.getLong(at + 8), b.getLong(at + 16),
                b.getInt(at + 24), info);
    }
}
