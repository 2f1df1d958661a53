package dev.debugport.kd.codec;

import java.util.Objects;

/**
 * A data packet: a {@code KD_PACKET} header with the data leader, the payload, and the trailing byte.
 *
 * <pre>
 *  offset  0           4          6           8           12            16               16+n
 *         +-----------+----------+-----------+-----------+-------------+----------------+----+
 *         |30 30 30 30|PacketType|ByteCount n| PacketId  |  Checksum   | payload[n]     | AA |
 *         |  leader   |  u16 LE  |  u16 LE   |  u32 LE   |  u32 LE     | (API header +  |    |
 *         |           |          |           |           | sum of the  |  extra data)   |    |
 *         |           |          |           |           | payload     |                |    |
 *         +-----------+----------+-----------+-----------+-------------+----------------+----+
 * </pre>
 *
 * For example a 3-byte payload {@code 01 02 FF} of type {@code PACKET_TYPE_KD_STATE_MANIPULATE} with id
 * {@code 0x80800000}:
 *
 * <pre>
 *  30 30 30 30  02 00  03 00  00 00 80 80  02 01 00 00  01 02 ff  aa
 * </pre>
 *
 * <p>The checksum is not stored: {@link KdFrameEncoder} computes it, {@link KdFrameDecoder} verifies it.
 *
 * @param packetType the raw PacketType (0..0xFFFF), normally one of {@link KdPacketType}
 * @param packetId the sender's PacketId ({@link KdPacketIds})
 * @param payload the payload, at most {@link KdConstants#PACKET_MAX_SIZE} bytes
 */
public record KdDataPacket(int packetType, int packetId, ByteString payload) implements KdFrame {

    /** Validates the fields. */
    public KdDataPacket {
        if ((packetType & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("packet type is a u16: " + packetType);
        }
        Objects.requireNonNull(payload, "payload");
        if (payload.length() > KdConstants.PACKET_MAX_SIZE) {
            throw new IllegalArgumentException("payload of " + payload.length() + " bytes exceeds PACKET_MAX_SIZE");
        }
    }

    /** @return a data packet of a known type */
    public static KdDataPacket of(KdPacketType type, int packetId, ByteString payload) {
        return new KdDataPacket(type.value(), packetId, payload);
    }

    /** @return the checksum the header carries for this payload */
    public int checksum() {
        return KdChecksum.compute(payload);
    }

    @Override
    public String toString() {
        return String.format("KdDataPacket[%s id=%08x %s]", KdPacketType.nameOf(packetType), packetId, payload);
    }
}
