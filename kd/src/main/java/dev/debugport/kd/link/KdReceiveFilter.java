package dev.debugport.kd.link;

import dev.debugport.kd.codec.KdPacketIds;

/**
 * Duplicate suppression for incoming data packets ({@code spec/kd.md} §4). A sender repeats a packet
 * with the same id when it missed the ACK; the receiver ACKs the repeat again but must not process it
 * twice.
 *
 * <ul>
 *   <li>{@link #forTarget()}: kddll's {@code RemotePacketId}. After a reset the expected id is
 *       {@code 0x80800000}; a packet with exactly the expected id is new and flips bit 0 of the
 *       expectation; any other id is a duplicate.</li>
 *   <li>{@link #forHost()}: after a reset the host cannot know the target's next id (a target that was
 *       already running sends {@code 0x80800800}; Xen's kdd does not reset its ids at all), so the first
 *       packet is accepted whatever its id and fixes the expectation; from then on the ids must
 *       alternate. A packet with the SYNC bit announces a restarted target and is accepted unless it
 *       repeats the packet accepted last.</li>
 * </ul>
 */
public final class KdReceiveFilter {

    private final boolean learnFirstId;
    private boolean known;
    private int expected;
    private int lastAccepted;
    private boolean anyAccepted;

    private KdReceiveFilter(boolean learnFirstId) {
        this.learnFirstId = learnFirstId;
        reset();
    }

    /** @return the target's filter (exact {@code RemotePacketId}) */
    public static KdReceiveFilter forTarget() {
        return new KdReceiveFilter(false);
    }

    /** @return the host's filter (learns the first id after a reset) */
    public static KdReceiveFilter forHost() {
        return new KdReceiveFilter(true);
    }

    /** Forgets the history, as a RESET does. */
    public void reset() {
        known = !learnFirstId;
        expected = KdPacketIds.initialId();
        anyAccepted = false;
    }

    /** @return true if the next new packet's id is known */
    public boolean isExpectationKnown() {
        return known;
    }

    /** @return the id the next new packet must carry (meaningful when {@link #isExpectationKnown()}) */
    public int expectedId() {
        return expected;
    }

    /**
     * Takes {@code packetId} as the next new packet although {@link #accept} called it a duplicate (the sender reused
     * an id after giving a packet up), and expects the id after it.
     */
    public void acceptAnyway(int packetId) {
        known = true;
        expected = KdPacketIds.nextAfterAck(packetId);
        lastAccepted = packetId;
        anyAccepted = true;
    }

    /**
     * Classifies a good data packet and updates the expectation.
     *
     * @return true if the packet is new and must be processed, false for a duplicate
     */
    public boolean accept(int packetId) {
        boolean fresh;
        if (learnFirstId && KdPacketIds.hasSync(packetId)) {
            fresh = !(anyAccepted && packetId == lastAccepted);
        } else {
            fresh = !known || packetId == expected;
        }
        if (fresh) {
            known = true;
            expected = KdPacketIds.nextAfterAck(packetId);
            lastAccepted = packetId;
            anyAccepted = true;
        }
        return fresh;
    }
}
