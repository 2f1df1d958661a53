package dev.debugport.kd.message;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdConstants;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code AMD64_DBGKD_CONTROL_REPORT}, the control report of an AMD64 state change.
 *
 * <pre>
 *  offset size  field (of DBGKD_WAIT_STATE_CHANGE64)
 *    192 u64   Dr6
 *    200 u64   Dr7
 *    208 u32   EFlags
 *    212 u16   InstructionCount
 *    214 u16   ReportFlags (REPORT_INCLUDES_SEGS 1 | REPORT_STANDARD_CS 2)
 *    216 16    InstructionStream
 *    232 u16   SegCs
 *    234 u16   SegDs
 *    236 u16   SegEs
 *    238 u16   SegFs
 *    240
 * </pre>
 *
 * @param dr6 Dr6
 * @param dr7 Dr7
 * @param eflags EFlags
 * @param instructionCount InstructionCount (u16)
 * @param reportFlags ReportFlags (u16)
 * @param instructionStream InstructionStream, padded with zeros to 16 bytes
 * @param segCs SegCs (u16)
 * @param segDs SegDs (u16)
 * @param segEs SegEs (u16)
 * @param segFs SegFs (u16)
 */
public record Amd64ControlReport(long dr6, long dr7, int eflags, int instructionCount, int reportFlags,
                                 ByteString instructionStream, int segCs, int segDs, int segEs, int segFs)
        implements ControlReport {

    /** Checks the widths and pads the instruction stream. */
    public Amd64ControlReport {
        Fields.u16(instructionCount, "instructionCount");
        Fields.u16(reportFlags, "reportFlags");
        Fields.u16(segCs, "segCs");
        Fields.u16(segDs, "segDs");
        Fields.u16(segEs, "segEs");
        Fields.u16(segFs, "segFs");
        instructionStream = X86ControlReport.padStream(Objects.requireNonNull(instructionStream, "instructionStream"));
    }

    /**
     * @return a report with the Windows x64 kernel selectors (CS 0x10, DS/ES 0x2B, FS 0x53), both report
     *         flags, the given registers and the instruction bytes at the PC (at most 16)
     */
    public static Amd64ControlReport kernel(long dr6, long dr7, int eflags, ByteString instructions) {
        return new Amd64ControlReport(dr6, dr7, eflags, Math.min(instructions.length(), KdConstants.DBGKD_MAXSTREAM),
                REPORT_INCLUDES_SEGS | REPORT_STANDARD_CS, instructions, 0x10, 0x2B, 0x2B, 0x53);
    }

    @Override
    public KdArchitecture architecture() {
        return KdArchitecture.AMD64;
    }

    @Override
    public void writeTo(ByteBuffer b) {
        b.putLong(192, dr6);
        b.putLong(200, dr7);
        b.putInt(208, eflags);
        b.putShort(212, (short) instructionCount);
        b.putShort(214, (short) reportFlags);
        b.put(216, instructionStream.toByteArray());
        b.putShort(232, (short) segCs);
        b.putShort(234, (short) segDs);
        b.putShort(236, (short) segEs);
        b.putShort(238, (short) segFs);
    }

    static Amd64ControlReport readFrom(ByteBuffer b) {
        byte[] stream = new byte[KdConstants.DBGKD_MAXSTREAM];
        b.get(216, stream);
        return new Amd64ControlReport(b.getLong(192), b.getLong(200), b.getInt(208), u16(b, 212), u16(b, 214),
                ByteString.of(stream), u16(b, 232), u16(b, 234), u16(b, 236), u16(b, 238));
    }

    private static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }
}
