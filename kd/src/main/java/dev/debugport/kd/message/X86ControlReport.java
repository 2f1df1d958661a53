package dev.debugport.kd.message;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdConstants;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code X86_DBGKD_CONTROL_REPORT}, the control report of an x86 state change (40 bytes, then 8 unused).
 *
 * <pre>
 *  offset size  field (of DBGKD_WAIT_STATE_CHANGE64)
 *    192 u32   Dr6
 *    196 u32   Dr7
 *    200 u16   InstructionCount
 *    202 u16   ReportFlags (REPORT_INCLUDES_SEGS 1 | REPORT_STANDARD_CS 2)
 *    204 16    InstructionStream
 *    220 u16   SegCs
 *    222 u16   SegDs
 *    224 u16   SegEs
 *    226 u16   SegFs
 *    228 u32   EFlags
 *    232 8     (unused)
 * </pre>
 *
 * @param dr6 Dr6
 * @param dr7 Dr7
 * @param instructionCount InstructionCount (u16)
 * @param reportFlags ReportFlags (u16)
 * @param instructionStream InstructionStream, padded with zeros to 16 bytes
 * @param segCs SegCs (u16)
 * @param segDs SegDs (u16)
 * @param segEs SegEs (u16)
 * @param segFs SegFs (u16)
 * @param eflags EFlags
 */
public record X86ControlReport(int dr6, int dr7, int instructionCount, int reportFlags, ByteString instructionStream,
                               int segCs, int segDs, int segEs, int segFs, int eflags) implements ControlReport {

    /** Checks the widths and pads the instruction stream. */
    public X86ControlReport {
        Fields.u16(instructionCount, "instructionCount");
        Fields.u16(reportFlags, "reportFlags");
        Fields.u16(segCs, "segCs");
        Fields.u16(segDs, "segDs");
        Fields.u16(segEs, "segEs");
        Fields.u16(segFs, "segFs");
        instructionStream = padStream(Objects.requireNonNull(instructionStream, "instructionStream"));
    }

    @Override
    public KdArchitecture architecture() {
        return KdArchitecture.X86;
    }

    @Override
    public void writeTo(ByteBuffer b) {
        b.putInt(192, dr6);
        b.putInt(196, dr7);
        b.putShort(200, (short) instructionCount);
        b.putShort(202, (short) reportFlags);
        b.put(204, instructionStream.toByteArray());
        b.putShort(220, (short) segCs);
        b.putShort(222, (short) segDs);
        b.putShort(224, (short) segEs);
        b.putShort(226, (short) segFs);
        b.putInt(228, eflags);
    }

    static X86ControlReport readFrom(ByteBuffer b) {
        byte[] stream = new byte[KdConstants.DBGKD_MAXSTREAM];
        b.get(204, stream);
        return new X86ControlReport(b.getInt(192), b.getInt(196), u16(b, 200), u16(b, 202), ByteString.of(stream),
                u16(b, 220), u16(b, 222), u16(b, 224), u16(b, 226), b.getInt(228));
    }

    /** Pads an instruction stream to {@code DBGKD_MAXSTREAM} bytes; longer streams are refused. */
    static ByteString padStream(ByteString stream) {
        if (stream.length() > KdConstants.DBGKD_MAXSTREAM) {
            throw new IllegalArgumentException("the instruction stream holds at most 16 bytes");
        }
        if (stream.length() == KdConstants.DBGKD_MAXSTREAM) {
            return stream;
        }
        return stream.concat(ByteString.zeros(KdConstants.DBGKD_MAXSTREAM - stream.length()));
    }

    private static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }
}
