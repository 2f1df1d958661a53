package dev.debugport.kd.codec;

/**
 * The arithmetic of {@code PacketId} ({@code spec/kd.md} §4). Each side numbers its own data packets;
 * ids alternate in bit 0, starting from {@code INITIAL_PACKET_ID} ({@code 0x80800000}); the target's
 * first packet after boot also carries {@code SYNC_PACKET_ID} ({@code 0x800}).
 *
 * <pre>
 *  target after boot : 80800800 -ACK-> 80800001 -ACK-> 80800000 -ACK-> 80800001 ...
 *  either after RESET: 80800000 -ACK-> 80800001 -ACK-> 80800000 ...
 * </pre>
 */
public final class KdPacketIds {

    private KdPacketIds() {
    }

    /** @return {@code INITIAL_PACKET_ID | SYNC_PACKET_ID} = {@code 0x80800800}, a target's first id after boot */
    public static int bootId() {
        return KdConstants.INITIAL_PACKET_ID | KdConstants.SYNC_PACKET_ID;
    }

    /** @return {@code INITIAL_PACKET_ID} = {@code 0x80800000}, the first id after a reset */
    public static int initialId() {
        return KdConstants.INITIAL_PACKET_ID;
    }

    /** @return true if {@code id} has the SYNC bit set */
    public static boolean hasSync(int id) {
        return (id & KdConstants.SYNC_PACKET_ID) != 0;
    }

    /** @return {@code id} with the SYNC bit cleared */
    public static int withoutSync(int id) {
        return id & ~KdConstants.SYNC_PACKET_ID;
    }

    /**
     * @return the id an ACK must carry to acknowledge a packet sent with {@code id}: the id with the SYNC
     *         bit cleared (a target ignores an ACK that still carries it)
     */
    public static int ackIdFor(int id) {
        return withoutSync(id);
    }

    /** @return the sender's next id once the packet sent with {@code id} has been acknowledged */
    public static int nextAfterAck(int id) {
        return withoutSync(id) ^ 1;
    }
}
