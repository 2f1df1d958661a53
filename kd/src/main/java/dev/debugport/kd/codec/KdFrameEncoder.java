package dev.debugport.kd.codec;

/**
 * Turns a {@link KdFrame} into the bytes that go on the wire ({@code spec/kd.md} §2): header, payload
 * and {@code 0xAA} for a data packet, the bare 16-byte header for a control packet, and the single byte
 * {@code 62} for a break-in. Stateless; the PacketId is whatever the frame carries.
 *
 * <pre>
 *  KdDataPacket(2, 0x80800000, [01 02 ff])
 *    -&gt; 30 30 30 30  02 00  03 00  00 00 80 80  02 01 00 00  01 02 ff  aa
 *  KdControlPacket.ack(0x80800001)
 *    -&gt; 69 69 69 69  04 00  00 00  01 00 80 80  00 00 00 00
 *  KdBreakIn
 *    -&gt; 62
 * </pre>
 */
public final class KdFrameEncoder {

    private KdFrameEncoder() {
    }

    /** @return the wire bytes of {@code frame} */
    public static byte[] encode(KdFrame frame) {
        return switch (frame) {
            case KdDataPacket data -> encodeData(data.packetType(), data.packetId(), data.payload(), data.checksum());
            case KdControlPacket control -> encodeControl(control);
            case KdBreakIn ignored -> new byte[] {KdConstants.BREAKIN_PACKET_BYTE};
        };
    }

    /**
     * Encodes a data packet with an explicit checksum, right or wrong (tests use it to build bad frames).
     *
     * @return header, payload and trailer
     */
    public static byte[] encodeData(int packetType, int packetId, ByteString payload, int checksum) {
        byte[] out = new byte[KdConstants.HEADER_SIZE + payload.length() + 1];
        writeHeader(out, KdConstants.PACKET_LEADER_BYTE, packetType, payload.length(), packetId, checksum);
        payload.copyTo(out, KdConstants.HEADER_SIZE);
        out[out.length - 1] = KdConstants.PACKET_TRAILING_BYTE;
        return out;
    }

    private static byte[] encodeControl(KdControlPacket control) {
        byte[] out = new byte[KdConstants.HEADER_SIZE];
        writeHeader(out, KdConstants.CONTROL_PACKET_LEADER_BYTE, control.packetType(), 0, control.packetId(), 0);
        return out;
    }

    private static void writeHeader(byte[] out, byte leader, int type, int count, int id, int checksum) {
        out[0] = leader;
        out[1] = leader;
        out[2] = leader;
        out[3] = leader;
        putU16(out, 4, type);
        putU16(out, 6, count);
        putU32(out, 8, id);
        putU32(out, 12, checksum);
    }

    private static void putU16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    private static void putU32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
