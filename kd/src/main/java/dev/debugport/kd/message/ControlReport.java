package dev.debugport.kd.message;

import dev.debugport.kd.codec.ByteString;
import java.nio.ByteBuffer;

/**
 * The architecture-specific control report at offset 192 of a {@link DbgkdWaitStateChange64} (48 bytes):
 * debug registers, flags, segment selectors and up to {@code DBGKD_MAXSTREAM} (16) instruction bytes at
 * the PC, read after the engine removed its own breakpoints from that range.
 */
public sealed interface ControlReport permits Amd64ControlReport, X86ControlReport {

    /** {@code REPORT_INCLUDES_SEGS}: the segment fields are valid. */
    int REPORT_INCLUDES_SEGS = 0x1;
    /** {@code REPORT_STANDARD_CS}: CS is the standard kernel code selector (AMD64 0x10, x86 0x08). */
    int REPORT_STANDARD_CS = 0x2;
    /** Size of the report area. */
    int SIZE = 48;

    /** @return the architecture whose layout this is */
    KdArchitecture architecture();

    /** @return InstructionCount: how many bytes of {@link #instructionStream()} are valid */
    int instructionCount();

    /** @return the 16 InstructionStream bytes */
    ByteString instructionStream();

    /** Writes the report at its absolute offsets (192 to 239). */
    void writeTo(ByteBuffer b);

    /** Reads the report of {@code architecture} from its absolute offsets. */
    static ControlReport readFrom(ByteBuffer b, KdArchitecture architecture) {
        return architecture == KdArchitecture.AMD64 ? Amd64ControlReport.readFrom(b) : X86ControlReport.readFrom(b);
    }
}
