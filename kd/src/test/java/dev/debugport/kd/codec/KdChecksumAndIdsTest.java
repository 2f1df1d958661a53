package dev.debugport.kd.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KdChecksumAndIdsTest {

    @Test
    void checksumIsTheUnsignedByteSum() {
        assertEquals(0, KdChecksum.compute(ByteString.EMPTY));
        assertEquals(0x102, KdChecksum.compute(ByteString.hex("01 02 ff")));
        byte[] ones = new byte[4000];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        assertEquals(4000 * 255, KdChecksum.compute(ones, 0, ones.length));
        assertEquals(0xFF, KdChecksum.compute(ones, 10, 1));
    }

    @Test
    void theEightBytesAtATimeSumMatchesTheByteLoopAtEveryLengthAndAlignment() {
        byte[] random = new byte[9000];
        new java.util.Random(4).nextBytes(random);
        for (int offset = 0; offset < 9; offset++) {
            for (int length : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 1023, 1024, 1025, 4000, 8991}) {
                int expected = 0;
                for (int i = offset; i < offset + length; i++) {
                    expected += random[i] & 0xFF;
                }
                assertEquals(expected, KdChecksum.compute(random, offset, length), offset + "+" + length);
            }
        }
        byte[] ones = new byte[9000];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        assertEquals(9000 * 255, KdChecksum.compute(ones, 0, ones.length), "lanes fold before they overflow");
    }

    @Test
    void targetIdSequenceStartsWithSyncThenAlternates() {
        int id = KdPacketIds.bootId();
        assertEquals(0x80800800, id);
        assertTrue(KdPacketIds.hasSync(id));
        assertEquals(0x80800000, KdPacketIds.ackIdFor(id));
        id = KdPacketIds.nextAfterAck(id);
        assertEquals(0x80800001, id);
        id = KdPacketIds.nextAfterAck(id);
        assertEquals(0x80800000, id);
        id = KdPacketIds.nextAfterAck(id);
        assertEquals(0x80800001, id);
        assertFalse(KdPacketIds.hasSync(id));
        assertEquals(0x80800000, KdPacketIds.initialId());
    }

    @Test
    void packetTypesMatchTheSpecTable() {
        assertEquals(2, KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE.value());
        assertEquals(7, KdPacketType.PACKET_TYPE_KD_STATE_CHANGE64.value());
        assertEquals(12, KdPacketType.PACKET_TYPE_MAX.value());
        assertTrue(KdPacketType.PACKET_TYPE_KD_RESET.isControl());
        assertFalse(KdPacketType.PACKET_TYPE_KD_DEBUG_IO.isControl());
        assertTrue(KdPacketType.isValidOnWire(11));
        assertFalse(KdPacketType.isValidOnWire(12));
        assertEquals("PACKET_TYPE_KD_ACKNOWLEDGE", KdPacketType.nameOf(4));
        assertEquals("PacketType(0x3030)", KdPacketType.nameOf(0x3030));
    }
}
