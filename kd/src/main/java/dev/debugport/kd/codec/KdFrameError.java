package dev.debugport.kd.codec;

/**
 * Input that began with a packet leader but is not a well-formed frame, reported by
 * {@link KdFrameDecoder} as a value instead of an exception. A KD receiver answers each of these
 * (except {@link Truncated}) with a RESEND control packet ({@code spec/kd.md} §2).
 */
public sealed interface KdFrameError extends KdDecoded {

    /** @return the raw PacketType of the rejected header, or -1 when it was not read */
    int packetType();

    /**
     * A data packet whose ByteCount exceeds the limit. Reported as soon as the ByteCount field has
     * arrived, before any payload is awaited.
     *
     * @param packetType the PacketType field
     * @param byteCount the ByteCount field
     * @param limit the decoder's limit ({@link KdConstants#PACKET_MAX_SIZE} unless configured lower)
     */
    record Oversized(int packetType, int byteCount, int limit) implements KdFrameError {
    }

    /**
     * A header whose PacketType is not a type of protocol 6 (0 to 11): most often a leader that occurred by
     * chance in garbage.
     *
     * @param packetType the PacketType field
     * @param control true when the header began with the control leader
     */
    record UnknownPacketType(int packetType, boolean control) implements KdFrameError {
    }

    /**
     * A control packet whose ByteCount or Checksum is not 0. Every known sender (ReactOS kddll, WinDbg's
     * host side, radare2) writes zeros there; insisting on it means a control header can never swallow
     * the leader of a packet that follows a truncated one.
     *
     * @param packetType the PacketType field
     * @param packetId the PacketId field
     * @param byteCount the ByteCount field
     * @param checksum the Checksum field
     */
    record BadControlPacket(int packetType, int packetId, int byteCount, int checksum) implements KdFrameError {
    }

    /**
     * A data packet whose last byte is not {@code PACKET_TRAILING_BYTE} ({@code 0xAA}).
     *
     * @param packetType the PacketType field
     * @param packetId the PacketId field
     * @param byteCount the ByteCount field
     * @param trailer the byte found where {@code 0xAA} was expected (0..255)
     */
    record BadTrailer(int packetType, int packetId, int byteCount, int trailer) implements KdFrameError {
    }

    /**
     * A data packet whose payload does not sum to the header's Checksum.
     *
     * @param packetType the PacketType field
     * @param packetId the PacketId field
     * @param byteCount the ByteCount field
     * @param expected the Checksum field
     * @param actual the sum of the payload bytes received
     */
    record BadChecksum(int packetType, int packetId, int byteCount, int expected, int actual) implements KdFrameError {
    }

    /**
     * A frame that was still incomplete when the line went idle ({@link KdFrameDecoder#abandonPartialFrame}).
     *
     * @param packetType the PacketType field, or -1 if it had not arrived
     * @param bytesReceived the bytes of the frame received, leader included
     */
    record Truncated(int packetType, int bytesReceived) implements KdFrameError {
    }
}
