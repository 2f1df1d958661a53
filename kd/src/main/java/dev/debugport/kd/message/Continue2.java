package dev.debugport.kd.message;

import dev.debugport.nt.NtStatus;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code DbgKdContinueApi2} (ApiNumber {@code 0x313C}), union {@code DBGKD_CONTINUE2}: resume with a
 * control set. <b>No reply packet</b>: the ACK is the only answer.
 *
 * <p>If NT_SUCCESS(ContinueStatus): TraceFlag != 0 sets EFLAGS.TF (bit 8) in the context being resumed
 * (single step), 0 clears it; Dr7 becomes every CPU's kernel DR7 and DR6 is zeroed; a CurrentSymbolStart
 * other than 1 names a [start, end) range to step over. Otherwise the exception counts as not handled.
 *
 * <p>The control set ({@code KD_CONTROL_SET}) is 4-byte packed and differs by architecture:
 *
 * <pre>
 *  offset  x86 (X86_KD_CONTROL_SET)        AMD64 (AMD64_KD_CONTROL_SET)
 *      0   u32 ApiNumber = 0x313C           same
 *      4   u16 ProcessorLevel               same
 *      6   u16 Processor                    same
 *      8   u32 ReturnStatus                 same
 *     12   u32 (padding)                    same
 *     16   u32 ContinueStatus               u32 ContinueStatus
 *     20   u32 TraceFlag                    u32 TraceFlag
 *     24   u32 Dr7                          u64 Dr7
 *     28   u32 CurrentSymbolStart           (Dr7, high half)
 *     32   u32 CurrentSymbolEnd             u64 CurrentSymbolStart
 *     36   (unused)                         (CurrentSymbolStart, high half)
 *     40   (unused)                         u64 CurrentSymbolEnd
 *     48   (unused)                         (unused)
 *     56   no extra data                    no extra data
 * </pre>
 *
 * radare2 writes the x86 layout even to AMD64 targets; decoded with the AMD64 layout that still yields
 * the right ContinueStatus and TraceFlag (its other fields are zero). With the x86 layout the 64-bit
 * fields are written truncated to 32 bits and read zero-extended.
 *
 * @param continueStatus ContinueStatus (DBG_CONTINUE, DBG_EXCEPTION_HANDLED, DBG_EXCEPTION_NOT_HANDLED)
 * @param traceFlag TraceFlag: non-zero to single-step
 * @param dr7 Dr7 for every CPU
 * @param currentSymbolStart CurrentSymbolStart; 1 means no step range
 * @param currentSymbolEnd CurrentSymbolEnd
 */
public record Continue2(NtStatus continueStatus, int traceFlag, long dr7, long currentSymbolStart,
                        long currentSymbolEnd) implements ManipulateApi {

    /** Checks the status is present. */
    public Continue2 {
        Objects.requireNonNull(continueStatus, "continueStatus");
    }

    /**
     * @return a Continue2 with Dr7 0 and no step range (CurrentSymbolStart 1), as WinDbg sends for "g"
     *         ({@code trace} false) and "t" ({@code trace} true)
     */
    public static Continue2 of(NtStatus continueStatus, boolean trace) {
        return new Continue2(continueStatus, trace ? 1 : 0, 0, 1, 0);
    }

    /** @return true if TraceFlag asks for a single step */
    public boolean trace() {
        return traceFlag != 0;
    }

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.CONTINUE2.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putInt(16, continueStatus.value());
        b.putInt(20, traceFlag);
        if (architecture == KdArchitecture.AMD64) {
            b.putLong(24, dr7);
            b.putLong(32, currentSymbolStart);
            b.putLong(40, currentSymbolEnd);
        } else {
            b.putInt(24, (int) dr7);
            b.putInt(28, (int) currentSymbolStart);
            b.putInt(32, (int) currentSymbolEnd);
        }
    }

    static Continue2 readUnion(ByteBuffer b, KdArchitecture architecture) {
        NtStatus status = NtStatus.of(b.getInt(16));
        int trace = b.getInt(20);
        if (architecture == KdArchitecture.AMD64) {
            return new Continue2(status, trace, b.getLong(24), b.getLong(32), b.getLong(40));
        }
        return new Continue2(status, trace, Integer.toUnsignedLong(b.getInt(24)),
                Integer.toUnsignedLong(b.getInt(28)), Integer.toUnsignedLong(b.getInt(32)));
    }
}
