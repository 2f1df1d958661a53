package dev.debugport.kd.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdDataPacket;
import dev.debugport.kd.codec.KdPacketType;
import dev.debugport.nt.NtStatus;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** DBGKD_MANIPULATE_STATE64: every API of spec/kd.md §6 round-trips; layouts checked byte by byte. */
class ManipulateStateTest {

    private static final NtStatus S = NtStatus.of(0xC0000001);

    /** One record per API number, with distinctive values in every field. */
    static List<ManipulateApi> samples() {
        return List.of(
                new ReadVirtualMemory(0xFFFFF800_12345678L, 3944, 0x87654321),
                new WriteVirtualMemory(0x00007FF6_00001000L, 16, 15),
                new GetContext(0xDEADBEEF),
                new SetContext(0x0010001F),
                new WriteBreakPoint(0xFFFFF800_00401000L, 32),
                new RestoreBreakPoint(7),
                new Continue(NtStatus.DBG_CONTINUE),
                new ReadControlSpace(2, 0x100, 0xA8),
                new WriteControlSpace(2, 8, 8),
                new ReadIoSpace(0x3F8, 1, 0x41),
                new WriteIoSpace(0xCF8, 4, 0x80000000),
                new Reboot(),
                new Continue2(NtStatus.DBG_EXCEPTION_HANDLED, 1, 0x401, 0xFFFFF800_00001000L, 0xFFFFF800_00002000L),
                new ReadPhysicalMemory(0x1000, 4096, 2),
                new WritePhysicalMemory(0x2000, 1, 1),
                new QuerySpecialCalls(3),
                new SetSpecialCall(0xFFFFF800_0000ABCDL),
                new ClearSpecialCalls(),
                new SetInternalBreakpoint(0x401000, 0x5),
                new GetInternalBreakpoint(0x401000, 1, 2, 3, 4, 5, 6),
                new ReadIoSpaceExtended(2, 1, 0, 1, 0x60, 0xFA),
                new WriteIoSpaceExtended(4, 1, 0, 1, 0xCFC, 0x12345678),
                new GetVersion(0x000F, 7601, 6, 2, 0x6, 0x8664, 12, 3, 0x31, 0, 0xFFFFF800_02A5E000L,
                        0xFFFFF800_02C9BE90L, 0xFFFFF800_02C5B0A0L),
                new WriteBreakPointEx(4, NtStatus.DBG_CONTINUE),
                new RestoreBreakPointEx(4, NtStatus.DBG_EXCEPTION_NOT_HANDLED),
                new CauseBugCheck(),
                new SwitchProcessor(),
                new PageIn(),
                ReadMachineSpecificRegister.of(0xC0000082, 0xFFFFF800_02A8F140L),
                WriteMachineSpecificRegister.of(0x1D9, 1),
                new SearchMemory(0x10000, 0x200000, 4),
                new GetBusData(4, 0, 0x18, 0x40, 256),
                new SetBusData(4, 0, 0x18, 0x40, 4),
                new CheckLowMemory(),
                new ClearAllInternalBreakpoints(),
                new FillMemory(0x5000, 0x100, 1, 2),
                new QueryMemory(0x7FFE0000, 0, 0, 7),
                new SwitchPartition(2),
                new WriteCustomBreakpoint(0x401000, 0xCC, 3, 1, 1),
                new GetContextEx(0xF8, 8, 8),
                new SetContextEx(0x78, 0x80, 0x80));
    }

    @Test
    void thereIsASampleForEveryApiNumber() {
        Set<ManipulateApiNumber> covered = samples().stream()
                .map(api -> ManipulateApiNumber.fromValue(api.apiNumber()).orElseThrow())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ManipulateApiNumber.class)));
        assertEquals(EnumSet.allOf(ManipulateApiNumber.class), covered);
        assertEquals(ManipulateApiNumber.values().length, samples().size());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyApiRoundTripsOnBothArchitectures(ManipulateApi api) {
        for (KdArchitecture arch : KdArchitecture.values()) {
            ManipulateApi value = api;
            if (arch == KdArchitecture.X86 && api instanceof Continue2 c) {
                value = new Continue2(c.continueStatus(), c.traceFlag(), c.dr7(), 0x80001000L, 0x80002000L);
            }
            ByteString extra = ByteString.hex("11 22 33");
            DbgkdManipulateState64 request = new DbgkdManipulateState64(6, 1, NtStatus.STATUS_PENDING, value, extra);
            ByteString payload = request.encode(arch);
            assertEquals(56 + 3, payload.length());
            assertEquals(value.apiNumber(), le32(payload, 0));
            assertEquals(request, DbgkdManipulateState64.decode(payload, arch).orElseThrow());
            KdMessageCodec codec = new KdMessageCodec(arch);
            KdDataPacket packet = codec.toPacket(request, 0x80800000);
            assertEquals(KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE.value(), packet.packetType());
            assertEquals(new KdMessageDecodeResult.Decoded(request), codec.decode(packet));
        }
    }

    @Test
    void headerLayoutMatchesTheSpec() {
        DbgkdManipulateState64 m = new DbgkdManipulateState64(0x0006, 0x0003, NtStatus.STATUS_PENDING,
                ReadVirtualMemory.request(0xFFFFF800_00001000L, 8), ByteString.EMPTY);
        assertEquals(ByteString.hex("""
                30 31 00 00  06 00  03 00  03 01 00 00  00 00 00 00
                00 10 00 00 00 f8 ff ff  08 00 00 00  00 00 00 00
                00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00
                00 00 00 00 00 00 00 00""".replace("\n", " ")), m.encode(KdArchitecture.AMD64));
    }

    @Test
    void getVersionReplyLayout() {
        GetVersion v = new GetVersion(0x000F, 7601, 6, 2, 0x6, 0x8664, 12, 3, 0x31, 0, 0xFFFFF800_02A5E000L,
                0xFFFFF800_02C9BE90L, 0xFFFFF800_02C5B0A0L);
        DbgkdManipulateState64 reply = DbgkdManipulateState64.request(GetVersion.request())
                .reply(NtStatus.STATUS_SUCCESS, v, ByteString.EMPTY);
        ByteString bytes = reply.encode(KdArchitecture.AMD64);
        assertEquals(ByteString.hex("46 31 00 00"), bytes.substring(0, 4));
        assertEquals(ByteString.hex("00 00 00 00"), bytes.substring(8, 12));
        assertEquals(ByteString.hex("0f 00 b1 1d 06 02 06 00 64 86 0c 03 31 00 00 00"), bytes.substring(16, 32));
        assertEquals(ByteString.hex("00 e0 a5 02 00 f8 ff ff"), bytes.substring(32, 40));
        assertEquals(ByteString.hex("a0 b0 c5 02 00 f8 ff ff"), bytes.substring(48, 56));
    }

    @Test
    void continue2LayoutsDifferByArchitecture() {
        Continue2 c = new Continue2(NtStatus.DBG_CONTINUE, 1, 0x400, 0x401000, 0x401010);
        ByteString amd64 = DbgkdManipulateState64.request(c).encode(KdArchitecture.AMD64);
        assertEquals(ByteString.hex("02 00 01 00 01 00 00 00 00 04 00 00 00 00 00 00"
                + " 00 10 40 00 00 00 00 00 10 10 40 00 00 00 00 00"), amd64.substring(16, 48));
        ByteString x86 = DbgkdManipulateState64.request(c).encode(KdArchitecture.X86);
        assertEquals(ByteString.hex("02 00 01 00 01 00 00 00 00 04 00 00 00 10 40 00 10 10 40 00 00 00 00 00"),
                x86.substring(16, 40));
    }

    @Test
    void radare2StyleX86ControlSetStillDecodesTraceFlagOnAmd64() {
        // radare2 sends the x86 control set to AMD64 targets: status, TraceFlag 1, Dr7 0, symbols 0.
        ByteString x86 = DbgkdManipulateState64.request(new Continue2(NtStatus.DBG_EXCEPTION_HANDLED, 1, 0, 0, 0))
                .encode(KdArchitecture.X86);
        Continue2 seen = (Continue2) DbgkdManipulateState64.decode(x86, KdArchitecture.AMD64).orElseThrow().api();
        assertTrue(seen.trace());
        assertEquals(NtStatus.DBG_EXCEPTION_HANDLED, seen.continueStatus());
    }

    @Test
    void unknownApiDecodesToAGenericRequestThatCanBeRefused() {
        byte[] raw = new byte[60];
        raw[0] = 0x54;
        raw[1] = 0x31; // 0x3154, obsolete and not listed
        raw[16] = 0x7F;
        raw[56] = 0x55;
        DbgkdManipulateState64 m = DbgkdManipulateState64.decode(ByteString.of(raw), KdArchitecture.AMD64).orElseThrow();
        UnknownApi unknown = assertInstanceOf(UnknownApi.class, m.api());
        assertEquals(0x3154, unknown.apiNumber());
        assertEquals(0x7F, unknown.union().get(0));
        assertEquals(ByteString.hex("55 00 00 00"), m.extraData());
        DbgkdManipulateState64 refusal = m.failed(NtStatus.STATUS_UNSUCCESSFUL);
        ByteString reply = refusal.encode(KdArchitecture.AMD64);
        assertEquals(56, reply.length());
        assertEquals(0xC0000001, le32(reply, 8));
        assertEquals(ByteString.of(raw).substring(16, 56), reply.substring(16, 56), "the union is echoed");
        assertThrows(IllegalArgumentException.class, () -> UnknownApi.of(0x3130));
    }

    @ParameterizedTest
    @EnumSource(ManipulateApiNumber.class)
    void apiNumbersAndReplyFlagsMatchTheSpecTable(ManipulateApiNumber api) {
        Set<Integer> noReply = Set.of(0x3136, 0x313B, 0x313C, 0x3149, 0x3150, 0x315A);
        assertEquals(!noReply.contains(api.value()), api.hasReply(), api.ntName());
        assertTrue(api.value() >= ManipulateApiNumber.MINIMUM && api.value() < ManipulateApiNumber.MAXIMUM);
        assertTrue(api.ntName().startsWith("DbgKd"));
    }

    @Test
    void shortPayloadIsUndecodable() {
        KdMessageDecodeResult r = new KdMessageCodec(KdArchitecture.AMD64)
                .decode(KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE.value(), ByteString.zeros(55));
        KdMessageDecodeResult.Undecodable u = assertInstanceOf(KdMessageDecodeResult.Undecodable.class, r);
        assertEquals(55, u.payloadLength());
    }

    @Test
    void replyKeepsProcessorAndRefusesAnotherApi() {
        DbgkdManipulateState64 request = DbgkdManipulateState64.request(new GetContext(0)).withProcessor(3);
        DbgkdManipulateState64 reply = request.reply(NtStatus.STATUS_SUCCESS, new GetContext(0), ByteString.zeros(1232));
        assertEquals(3, reply.processor());
        assertThrows(IllegalArgumentException.class, () -> request.reply(S, new SetContext(0), ByteString.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> new DbgkdManipulateState64(0x10000, 0, S, new Reboot(),
                ByteString.EMPTY));
    }

    @Test
    void msrValueHelpers() {
        ReadMachineSpecificRegister msr = ReadMachineSpecificRegister.of(0xC0000080, 0x0000_0D01L);
        assertEquals(0xD01, msr.value());
        assertEquals(0xFFFFF800_00000001L, WriteMachineSpecificRegister.of(1, 0xFFFFF800_00000001L).value());
        assertEquals(2, new ReadPhysicalMemory(0, 4, 2).cachingHint());
    }

    static int le32(ByteString b, int at) {
        return b.getUnsigned(at) | b.getUnsigned(at + 1) << 8 | b.getUnsigned(at + 2) << 16 | b.getUnsigned(at + 3) << 24;
    }
}
