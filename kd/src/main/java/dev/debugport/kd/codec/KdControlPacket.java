package dev.debugport.kd.codec;

/**
 * A control packet: a bare {@code KD_PACKET} header with the control leader, no payload and no trailer.
 *
 * <pre>
 *  offset  0           4          6      8           12          16
 *         +-----------+----------+------+-----------+-----------+
 *         |69 69 69 69|PacketType|00 00 | PacketId  |00 00 00 00|
 *         |  leader   | 4 ACK    |count |  u32 LE   | checksum  |
 *         |           | 5 RESEND |      |           |           |
 *         |           | 6 RESET  |      |           |           |
 *         +-----------+----------+------+-----------+-----------+
 * </pre>
 *
 * For example the ACK of packet {@code 0x80800001}:
 *
 * <pre>
 *  69 69 69 69  04 00  00 00  01 00 80 80  00 00 00 00
 * </pre>
 *
 * An ACK ({@code PACKET_TYPE_KD_ACKNOWLEDGE}) carries the id of the packet it acknowledges; RESEND
 * ({@code PACKET_TYPE_KD_RESEND}) and RESET ({@code PACKET_TYPE_KD_RESET}) are sent with id 0, and a
 * receiver does not rely on their id. ByteCount and Checksum are always 0; the decoder rejects a
 * control header with anything else there ({@link KdFrameError.BadControlPacket}), where ReactOS ignores
 * the two fields.
 *
 * @param packetType the raw PacketType; 4, 5 or 6 when well-formed (a receiver treats others as RESEND)
 * @param packetId the PacketId field
 */
public record KdControlPacket(int packetType, int packetId) implements KdFrame {

    /** Validates the type. */
    public KdControlPacket {
        if ((packetType & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("packet type is a u16: " + packetType);
        }
    }

    /** @return an ACK ({@code PACKET_TYPE_KD_ACKNOWLEDGE}) of the packet with {@code packetId} */
    public static KdControlPacket ack(int packetId) {
        return new KdControlPacket(KdPacketType.PACKET_TYPE_KD_ACKNOWLEDGE.value(), packetId);
    }

    /** @return a RESEND ({@code PACKET_TYPE_KD_RESEND}) with id 0 */
    public static KdControlPacket resend() {
        return new KdControlPacket(KdPacketType.PACKET_TYPE_KD_RESEND.value(), 0);
    }

    /** @return a RESET ({@code PACKET_TYPE_KD_RESET}) with id 0 */
    public static KdControlPacket reset() {
        return new KdControlPacket(KdPacketType.PACKET_TYPE_KD_RESET.value(), 0);
    }

    /** @return true for an ACK */
    public boolean isAck() {
        return packetType == KdPacketType.PACKET_TYPE_KD_ACKNOWLEDGE.value();
    }

    /** @return true for a RESET */
    public boolean isReset() {
        return packetType == KdPacketType.PACKET_TYPE_KD_RESET.value();
    }

    /** @return true for a RESEND */
    public boolean isResend() {
        return packetType == KdPacketType.PACKET_TYPE_KD_RESEND.value();
    }

    @Override
    public String toString() {
        return String.format("KdControlPacket[%s id=%08x]", KdPacketType.nameOf(packetType), packetId);
    }
}
