package dev.debugport.kd.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdPacketType;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.NtStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DBGKD_WAIT_STATE_CHANGE64 (§7) and DBGKD_DEBUG_IO (§10): round trips and offsets. */
class StateChangeAndDebugIoTest {

    private static final KdMessageCodec AMD64 = new KdMessageCodec(KdArchitecture.AMD64);
    private static final KdMessageCodec X86 = new KdMessageCodec(KdArchitecture.X86);
    private static final ByteString CODE = ByteString.hex("cc c3 90 90");

    private static Amd64ControlReport amd64Report() {
        return Amd64ControlReport.kernel(0xFFFF0FF0L, 0x400, 0x246, CODE);
    }

    private static DbgkdWaitStateChange64 breakpoint() {
        ExceptionRecord64 record = ExceptionRecord64.of(NtStatus.STATUS_BREAKPOINT, 0xFFFFF800_02A8F000L, 0);
        return DbgkdWaitStateChange64.exception(6, 0, 2, 0xFFFFFA80_01234560L, record, true, amd64Report());
    }

    @Test
    void exceptionStateChangeLayout() {
        ByteString b = breakpoint().encode(KdArchitecture.AMD64);
        assertEquals(240, b.length());
        assertEquals(0x3030, ManipulateStateTest.le32(b, 0));
        assertEquals(ByteString.hex("06 00 00 00 02 00 00 00"), b.substring(4, 12));
        assertEquals(ByteString.hex("60 45 23 01 80 fa ff ff"), b.substring(16, 24), "Thread");
        assertEquals(ByteString.hex("00 f0 a8 02 00 f8 ff ff"), b.substring(24, 32), "ProgramCounter");
        assertEquals(0x80000003, ManipulateStateTest.le32(b, 32), "ExceptionCode");
        assertEquals(ByteString.hex("00 f0 a8 02 00 f8 ff ff"), b.substring(48, 56), "ExceptionAddress");
        assertEquals(1, ManipulateStateTest.le32(b, 56), "NumberParameters");
        assertEquals(1, ManipulateStateTest.le32(b, 184), "FirstChance");
        assertEquals(ByteString.hex("f0 0f ff ff 00 00 00 00"), b.substring(192, 200), "Dr6");
        assertEquals(0x246, ManipulateStateTest.le32(b, 208), "EFlags");
        assertEquals(ByteString.hex("04 00 03 00"), b.substring(212, 216), "InstructionCount, ReportFlags");
        assertEquals(CODE, b.substring(216, 220));
        assertEquals(ByteString.hex("10 00 2b 00 2b 00 53 00"), b.substring(232, 240), "SegCs..SegFs");
    }

    @Test
    void exceptionStateChangeRoundTrips() {
        DbgkdWaitStateChange64 m = breakpoint();
        assertEquals(new KdMessageDecodeResult.Decoded(m), AMD64.decode(7, AMD64.encode(m)));
        DbgkdWaitStateChange64 withTrace = new DbgkdWaitStateChange64(m.newState() | StateChangeInfo.ALTERNATE_SOURCE,
                m.processorLevel(), 1, 4, m.thread(), m.programCounter(),
                new ExceptionStateChange(ExceptionRecord64.of(NtStatus.STATUS_SINGLE_STEP, 5), false),
                m.controlReport(), ByteString.hex("01 00 00 00"));
        assertTrue(withTrace.alternateSource());
        assertEquals(new KdMessageDecodeResult.Decoded(withTrace), AMD64.decode(7, AMD64.encode(withTrace)));
    }

    @Test
    void x86ControlReportLayoutAndRoundTrip() {
        X86ControlReport report = new X86ControlReport(0xFFFF0FF0, 0x400, 2, 3, ByteString.hex("cc c3"), 8, 0x23,
                0x23, 0x30, 0x202);
        DbgkdWaitStateChange64 m = DbgkdWaitStateChange64.exception(6, 0, 1, 0xFFFFFFFF_81234560L,
                ExceptionRecord64.of(NtStatus.STATUS_BREAKPOINT, 0xFFFFFFFF_80001000L, 0), false, report);
        ByteString b = m.encode(KdArchitecture.X86);
        assertEquals(0xFFFF0FF0, ManipulateStateTest.le32(b, 192));
        assertEquals(ByteString.hex("02 00 03 00 cc c3"), b.substring(200, 206));
        assertEquals(ByteString.hex("08 00 23 00 23 00 30 00 02 02 00 00"), b.substring(220, 232));
        assertEquals(0, ManipulateStateTest.le32(b, 184), "second chance");
        assertEquals(new KdMessageDecodeResult.Decoded(m), X86.decode(7, b));
    }

    @Test
    void loadSymbolsStateChange() {
        DbgkdWaitStateChange64 m = DbgkdWaitStateChange64.loadSymbols(6, 0, 1, 0xFFFFFA80_00001000L,
                0xFFFFF800_02A8F000L, "\\SystemRoot\\system32\\ntoskrnl.exe", 0xFFFFF800_02A5E000L, 0, 0x5A3B1C,
                0x5E7000, false, amd64Report());
        ByteString b = m.encode(KdArchitecture.AMD64);
        assertEquals(0x3031, ManipulateStateTest.le32(b, 0));
        int pathLength = "\\SystemRoot\\system32\\ntoskrnl.exe".length() + 1;
        assertEquals(pathLength, ManipulateStateTest.le32(b, 32), "PathNameLength counts the NUL");
        assertEquals(ByteString.hex("00 e0 a5 02 00 f8 ff ff"), b.substring(40, 48), "BaseOfDll");
        assertEquals(0x5A3B1C, ManipulateStateTest.le32(b, 56));
        assertEquals(0x5E7000, ManipulateStateTest.le32(b, 60));
        assertEquals(0, b.get(64));
        assertEquals(240 + pathLength, b.length());
        assertEquals(0, b.get(b.length() - 1));
        DbgkdWaitStateChange64 back = (DbgkdWaitStateChange64) ((KdMessageDecodeResult.Decoded) AMD64.decode(7, b))
                .message();
        assertEquals(m, back);
        assertEquals("\\SystemRoot\\system32\\ntoskrnl.exe", back.imagePath().orElseThrow());
    }

    @Test
    void commandStringAndUnknownStateChangesRoundTrip() {
        DbgkdWaitStateChange64 command = new DbgkdWaitStateChange64(StateChangeInfo.COMMAND_STRING, 6, 0, 1, 0, 0,
                new CommandStringStateChange(0), amd64Report(), ByteString.latin1("name\0.reload\0"));
        assertEquals(new KdMessageDecodeResult.Decoded(command), AMD64.decode(7, AMD64.encode(command)));
        byte[] raw = new byte[240];
        raw[0] = 0x35;
        raw[1] = 0x30; // 0x3035
        raw[40] = 9;
        DbgkdWaitStateChange64 unknown = DbgkdWaitStateChange64.decode(ByteString.of(raw), KdArchitecture.AMD64)
                .orElseThrow();
        UnknownStateChange u = assertInstanceOf(UnknownStateChange.class, unknown.info());
        assertEquals(0x3035, u.newState());
        assertEquals(9, u.union().get(8));
        assertFalse(unknown.alternateSource());
        assertEquals(ByteString.of(raw), unknown.encode(KdArchitecture.AMD64));
        assertThrows(IllegalArgumentException.class, () -> new DbgkdWaitStateChange64(0x3031, 0, 0, 1, 0, 0,
                new CommandStringStateChange(0), amd64Report(), ByteString.EMPTY));
    }

    @Test
    void ntExceptionRecordConverts() {
        ExceptionRecord nt = ExceptionRecord.of(0xC0000005, 0x401000, 1, 0xDEAD);
        ExceptionRecord64 r = ExceptionRecord64.fromNt(nt, 0);
        assertEquals(2, r.numberParameters());
        assertEquals(0xDEAD, r.information(1));
        assertEquals(15, r.exceptionInformation().size());
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION, r.code());
    }

    @Test
    void shortStateChangeIsUndecodable() {
        assertInstanceOf(KdMessageDecodeResult.Undecodable.class, AMD64.decode(7, ByteString.zeros(239)));
        assertInstanceOf(KdMessageDecodeResult.Undecodable.class,
                AMD64.decode(KdPacketType.PACKET_TYPE_KD_FILE_IO.value(), ByteString.zeros(64)));
    }

    @Test
    void printStringMatchesTheDiagram() {
        DbgkdDebugIo print = DbgkdDebugIo.printString("hi");
        assertEquals(ByteString.hex("30 32 00 00 00 00 00 00 02 00 00 00 00 00 00 00 68 69"), AMD64.encode(print));
        assertEquals(KdPacketType.PACKET_TYPE_KD_DEBUG_IO, print.packetType());
        assertEquals(new KdMessageDecodeResult.Decoded(print), AMD64.decode(3, AMD64.encode(print)));
        assertEquals(DbgkdDebugIo.MAX_STRING, DbgkdDebugIo.printString("x".repeat(5000)).extraData().length());
    }

    @Test
    void getStringPromptAndAnswer() {
        DbgkdDebugIo prompt = DbgkdDebugIo.getString("Break, Ignore? ", 512);
        ByteString b = AMD64.encode(prompt);
        assertEquals(0x3231, ManipulateStateTest.le32(b, 0));
        assertEquals(15, ManipulateStateTest.le32(b, 8));
        assertEquals(512, ManipulateStateTest.le32(b, 12));
        assertEquals(new KdMessageDecodeResult.Decoded(prompt), AMD64.decode(3, b));
        DbgkdDebugIo answer = DbgkdDebugIo.getStringAnswer("i");
        assertEquals(new GetString(0, 1), answer.api());
        assertEquals("i", answer.text());
        assertEquals(new KdMessageDecodeResult.Decoded(answer), AMD64.decode(3, AMD64.encode(answer)));
    }

    @Test
    void unknownDebugIoKeepsItsUnion() {
        DbgkdDebugIo m = new DbgkdDebugIo(0, 1, new UnknownDebugIo(0x3232, ByteString.hex("01 02 03 04 05 06 07 08")),
                ByteString.hex("aa"));
        assertEquals(new KdMessageDecodeResult.Decoded(m), AMD64.decode(3, AMD64.encode(m)));
        assertInstanceOf(KdMessageDecodeResult.Undecodable.class, AMD64.decode(3, ByteString.zeros(15)));
    }

    @Test
    void exceptionInformationIsPaddedToFifteen() {
        assertEquals(List.of(1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L),
                ExceptionRecord64.of(NtStatus.STATUS_BREAKPOINT, 0, 1).exceptionInformation());
    }
}
