package dev.debugport.kd.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KdFrameDecoderTest {

    private static final KdDataPacket DATA = KdDataPacket.of(KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE, 0x80800000,
            ByteString.hex("01 02 ff"));
    private static final byte[] DATA_BYTES = ByteString.hex("30 30 30 30 02 00 03 00 00 00 80 80 02 01 00 00 01 02 ff aa")
            .toByteArray();
    private static final byte[] ACK_BYTES = ByteString.hex("69 69 69 69 04 00 00 00 01 00 80 80 00 00 00 00").toByteArray();

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String s) {
        return ByteString.hex(s).toByteArray();
    }

    @Test
    void decodesTheDataPacketDiagram() {
        assertEquals(List.of(DATA), new KdFrameDecoder().decode(DATA_BYTES));
    }

    @Test
    void decodesTheAckDiagram() {
        assertEquals(List.of(KdControlPacket.ack(0x80800001)), new KdFrameDecoder().decode(ACK_BYTES));
    }

    @Test
    void decodesTheJavadocExampleWithGarbageAndBreakIn() {
        // 17 62 30 30 | 69 69 69 69 04 00 ... : garbage, a break-in, a partial data leader, then an ACK.
        byte[] input = concat(hex("17 62 30 30"), ACK_BYTES);
        assertEquals(List.of(KdBreakIn.INSTANCE, KdControlPacket.ack(0x80800001)), new KdFrameDecoder().decode(input));
    }

    @Test
    void aRunOfBreakInBytesIsOneBreakIn() {
        KdFrameDecoder decoder = new KdFrameDecoder();
        assertEquals(List.of(KdBreakIn.INSTANCE), decoder.decode(hex("62 62 62 62")));
        assertEquals(List.of(), decoder.decode(hex("62")), "the run continues across chunks");
        assertEquals(List.of(KdBreakIn.INSTANCE), decoder.decode(hex("00 62")));
        List<KdDecoded> idleSeparated = new ArrayList<>();
        decoder.abandonPartialFrame(idleSeparated::add);
        idleSeparated.addAll(decoder.decode(hex("62")));
        assertEquals(List.of(KdBreakIn.INSTANCE), idleSeparated, "an idle line ends a run");
    }

    @Test
    void byteAtATimeEqualsWholeChunk() {
        byte[] stream = concat(hex("00 11 62"), DATA_BYTES, ACK_BYTES, hex("30 30 30"), DATA_BYTES, hex("62 62"));
        List<KdDecoded> whole = new KdFrameDecoder().decode(stream);
        KdFrameDecoder decoder = new KdFrameDecoder();
        List<KdDecoded> single = new ArrayList<>();
        for (byte b : stream) {
            decoder.decode(new byte[] {b}, 0, 1, single::add);
        }
        assertEquals(whole, single);
        assertEquals(List.of(KdBreakIn.INSTANCE, DATA, KdControlPacket.ack(0x80800001), DATA, KdBreakIn.INSTANCE), whole);
    }

    @Test
    void resynchronisesAfterGarbage() {
        KdFrameDecoder decoder = new KdFrameDecoder();
        byte[] garbage = hex("de ad be ef 00 01 02 03 aa aa 69 69 30 30 30 ff 69 69 69");
        assertEquals(List.of(DATA), decoder.decode(concat(garbage, DATA_BYTES)));
        assertEquals(garbage.length, decoder.discardedBytes());
    }

    @Test
    void extraLeaderBytesBeforeAFrameAreSkipped() {
        // "30 30" of garbage followed by a frame: the frame starts at the last four 0x30 bytes.
        assertEquals(List.of(DATA), new KdFrameDecoder().decode(concat(hex("30 30"), DATA_BYTES)));
        // A whole stray leader directly before a frame.
        assertEquals(List.of(DATA), new KdFrameDecoder().decode(concat(hex("30 30 30 30"), DATA_BYTES)));
    }

    @Test
    void aLeaderFollowedByTheOtherLeaderRestartsTheRun() {
        assertEquals(List.of(DATA), new KdFrameDecoder().decode(concat(hex("69 69 69 69"), DATA_BYTES)));
    }

    @Test
    void unknownPacketTypeIsRejectedAndTheNextFrameKept() {
        List<KdDecoded> out = new KdFrameDecoder().decode(concat(hex("69 69 69 69 ff 00 00 00"), DATA_BYTES));
        assertEquals(2, out.size());
        KdFrameError.UnknownPacketType error = assertInstanceOf(KdFrameError.UnknownPacketType.class, out.get(0));
        assertEquals(0xFF, error.packetType());
        assertTrue(error.control());
        assertEquals(DATA, out.get(1));
    }

    @Test
    void oversizeIsReportedAsSoonAsTheByteCountArrives() {
        KdFrameDecoder decoder = new KdFrameDecoder();
        // leader, type 2, ByteCount 4001 (0x0FA1): nothing more has arrived.
        List<KdDecoded> out = decoder.decode(hex("30 30 30 30 02 00 a1 0f"));
        assertEquals(List.of(new KdFrameError.Oversized(2, 4001, 4000)), out);
        assertEquals(List.of(DATA), decoder.decode(DATA_BYTES), "the next frame is still decoded");
    }

    @Test
    void aLowerLimitCanBeConfigured() {
        KdFrameDecoder decoder = new KdFrameDecoder(2048);
        byte[] big = KdFrameEncoder.encode(new KdDataPacket(2, 0x80800000, ByteString.zeros(2049)));
        List<KdDecoded> out = decoder.decode(big);
        assertEquals(new KdFrameError.Oversized(2, 2049, 2048), out.getFirst());
        assertEquals(1, out.size());
        assertThrows(IllegalArgumentException.class, () -> new KdFrameDecoder(4001));
        assertThrows(IllegalArgumentException.class, () -> new KdFrameDecoder(-1));
    }

    @Test
    void maximumSizedPacketIsAccepted() {
        KdDataPacket max = new KdDataPacket(7, 0x80800800, ByteString.of(new byte[4000]));
        assertEquals(List.of(max), new KdFrameDecoder().decode(KdFrameEncoder.encode(max)));
    }

    @Test
    void badChecksumIsAValueAndTheNextFrameIsDecoded() {
        byte[] bad = KdFrameEncoder.encodeData(2, 0x80800000, ByteString.hex("01 02 ff"), 0x103);
        List<KdDecoded> out = new KdFrameDecoder().decode(concat(bad, DATA_BYTES));
        assertEquals(List.of(new KdFrameError.BadChecksum(2, 0x80800000, 3, 0x103, 0x102), DATA), out);
    }

    @Test
    void badTrailerIsAValue() {
        byte[] bad = DATA_BYTES.clone();
        bad[bad.length - 1] = 0x55;
        List<KdDecoded> out = new KdFrameDecoder().decode(concat(bad, ACK_BYTES));
        assertEquals(List.of(new KdFrameError.BadTrailer(2, 0x80800000, 3, 0x55), KdControlPacket.ack(0x80800001)), out);
    }

    @Test
    void controlPacketWithNonZeroCountOrChecksumIsRejected() {
        byte[] bad = ACK_BYTES.clone();
        bad[12] = 1;
        List<KdDecoded> out = new KdFrameDecoder().decode(concat(bad, DATA_BYTES));
        assertEquals(List.of(new KdFrameError.BadControlPacket(4, 0x80800001, 0, 1), DATA), out);
    }

    @Test
    void aFrameHiddenInsideABogusPayloadIsFound() {
        // A header claiming 40 payload bytes, whose "payload" is really a complete packet.
        byte[] bogusHeader = hex("30 30 30 30 02 00 28 00 00 00 80 80 00 00 00 00");
        byte[] filler = new byte[40 - DATA_BYTES.length + 1];
        List<KdDecoded> out = new KdFrameDecoder().decode(concat(bogusHeader, DATA_BYTES, filler));
        assertInstanceOf(KdFrameError.BadTrailer.class, out.getFirst());
        assertEquals(DATA, out.get(1));
        assertEquals(2, out.size());
    }

    @Test
    void idleLineAbandonsAPartialFrameAndRescansIt() {
        KdFrameDecoder decoder = new KdFrameDecoder();
        // A truncated ACK header (the line went quiet) followed, in the same buffer, by nothing.
        assertEquals(List.of(), decoder.decode(hex("69 69 69 69 04 00 00")));
        assertTrue(decoder.hasPartialFrame());
        List<KdDecoded> out = new ArrayList<>();
        decoder.abandonPartialFrame(out::add);
        assertEquals(List.of(new KdFrameError.Truncated(4, 7)), out);
        assertEquals(List.of(DATA), decoder.decode(DATA_BYTES));
    }

    @Test
    void idleLineRecoversAFrameSwallowedByATruncatedHeader() {
        KdFrameDecoder decoder = new KdFrameDecoder();
        // A data header claiming 3000 bytes; a real packet follows; then the line goes idle.
        byte[] header = hex("30 30 30 30 02 00 b8 0b 00 00 80 80 00 00 00 00");
        assertEquals(List.of(), decoder.decode(concat(header, DATA_BYTES)));
        List<KdDecoded> out = new ArrayList<>();
        decoder.abandonPartialFrame(out::add);
        assertEquals(List.of(new KdFrameError.Truncated(2, header.length + DATA_BYTES.length), DATA), out);
        assertTrue(!decoder.hasPartialFrame());
    }

    @Test
    void idleAfterABareLeaderReportsTruncation() {
        KdFrameDecoder decoder = new KdFrameDecoder();
        decoder.decode(hex("30 30 30 30"));
        List<KdDecoded> out = new ArrayList<>();
        decoder.abandonPartialFrame(out::add);
        assertEquals(List.of(new KdFrameError.Truncated(-1, 4)), out);
        assertEquals(List.of(DATA), decoder.decode(DATA_BYTES));
    }

    @Test
    void largeChunksAreProcessedInSlices() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 2000; i++) {
            out.writeBytes(DATA_BYTES);
            out.writeBytes(hex("00 01 02"));
        }
        KdFrameDecoder decoder = new KdFrameDecoder();
        List<KdDecoded> frames = decoder.decode(out.toByteArray());
        assertEquals(2000, frames.size());
        assertEquals(6000, decoder.discardedBytes());
    }
}
