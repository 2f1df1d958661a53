package dev.debugport.kd.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The byte diagrams of {@code spec/kd.md} §2 and of the frame Javadoc, byte for byte. */
class KdFrameEncoderTest {

    @Test
    void dataPacketIsHeaderPayloadTrailer() {
        KdDataPacket packet = KdDataPacket.of(KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE, 0x80800000,
                ByteString.hex("01 02 ff"));
        assertArrayEquals(ByteString.hex("30 30 30 30 02 00 03 00 00 00 80 80 02 01 00 00 01 02 ff aa").toByteArray(),
                KdFrameEncoder.encode(packet));
    }

    @Test
    void emptyDataPacketHasZeroChecksumAndStillATrailer() {
        KdDataPacket packet = KdDataPacket.of(KdPacketType.PACKET_TYPE_KD_DEBUG_IO, 0x80800001, ByteString.EMPTY);
        assertArrayEquals(ByteString.hex("30 30 30 30 03 00 00 00 01 00 80 80 00 00 00 00 aa").toByteArray(),
                KdFrameEncoder.encode(packet));
    }

    @Test
    void controlPacketsAreBareHeaders() {
        assertArrayEquals(ByteString.hex("69 69 69 69 04 00 00 00 01 00 80 80 00 00 00 00").toByteArray(),
                KdFrameEncoder.encode(KdControlPacket.ack(0x80800001)));
        assertArrayEquals(ByteString.hex("69 69 69 69 05 00 00 00 00 00 00 00 00 00 00 00").toByteArray(),
                KdFrameEncoder.encode(KdControlPacket.resend()));
        assertArrayEquals(ByteString.hex("69 69 69 69 06 00 00 00 00 00 00 00 00 00 00 00").toByteArray(),
                KdFrameEncoder.encode(KdControlPacket.reset()));
    }

    @Test
    void breakInIsOneByte() {
        assertArrayEquals(new byte[] {0x62}, KdFrameEncoder.encode(KdBreakIn.INSTANCE));
    }

    @Test
    void payloadOverPacketMaxSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KdDataPacket(2, 0, ByteString.zeros(4001)));
        new KdDataPacket(2, 0, ByteString.zeros(4000));
        assertThrows(IllegalArgumentException.class, () -> new KdDataPacket(0x10000, 0, ByteString.EMPTY));
    }
}
