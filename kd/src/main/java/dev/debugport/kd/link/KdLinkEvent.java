package dev.debugport.kd.link;

import dev.debugport.kd.codec.KdDataPacket;
import dev.debugport.kd.codec.KdFrameError;

/**
 * What a {@link KdLinkState} reports to the layer above it (the target engine or the host client).
 */
public sealed interface KdLinkEvent {

    /**
     * A new, intact data packet arrived; it has been ACKed. Each packet the peer sent is reported exactly
     * once, in order, unless a RESET intervened.
     *
     * @param packet the packet
     */
    record PacketReceived(KdDataPacket packet) implements KdLinkEvent {
    }

    /**
     * An intact data packet that is not processed: a repeat of one already received (ACKed again), or a
     * packet that arrived while this host's RESET was unanswered (not ACKed, so the target sends it again
     * after the reset).
     *
     * @param packet the packet
     * @param reason why it was not delivered
     */
    record PacketDiscarded(KdDataPacket packet, DiscardReason reason) implements KdLinkEvent {
    }

    /** Why a packet was discarded. */
    enum DiscardReason {
        /** Its id is not the expected one: the peer repeated a packet whose ACK it missed. */
        DUPLICATE,
        /** It arrived before the RESET of a host's reset handshake was answered. */
        RESET_IN_PROGRESS
    }

    /**
     * A submitted packet was acknowledged by the peer.
     *
     * @param ticket the number {@link KdLinkState#submit} returned
     * @param packetType its PacketType
     * @param packetId the id it was acknowledged with
     */
    record Acknowledged(long ticket, int packetType, int packetId) implements KdLinkEvent {
    }

    /**
     * A submitted packet was given up.
     *
     * @param ticket the number {@link KdLinkState#submit} returned
     * @param packetType its PacketType
     * @param reason why
     */
    record SendFailed(long ticket, int packetType, FailureReason reason) implements KdLinkEvent {
    }

    /** Why a packet was given up. */
    enum FailureReason {
        /** {@link KdLinkConfig#maxTimeouts()} ACK timeouts in a row. */
        RETRIES_EXHAUSTED,
        /** A {@code PACKET_TYPE_KD_DEBUG_IO} packet timed out once (never retried on a target). */
        DEBUG_IO_NOT_ACKNOWLEDGED
    }

    /**
     * A packet was sent again.
     *
     * @param ticket the number {@link KdLinkState#submit} returned
     * @param packetId the id it was sent with this time
     * @param cause what made it go again
     */
    record Retransmitted(long ticket, int packetId, RetransmitCause cause) implements KdLinkEvent {
    }

    /** What made a packet go again. */
    enum RetransmitCause {
        /** Its ACK did not arrive in time. */
        TIMEOUT,
        /** The peer sent a RESEND (or a control packet of unknown type). */
        RESEND,
        /** A RESET changed its id. */
        RESET,
        /** A break-in byte arrived while a target waited for an ACK. */
        BREAK_IN
    }

    /** A break-in byte ({@code 0x62}) arrived; {@code KdpControlCPending} is now set. */
    record BreakInReceived() implements KdLinkEvent {
    }

    /** The peer sent a RESET that this end did not ask for; ids were reset. */
    record ResetReceived() implements KdLinkEvent {
    }

    /** The RESET of this host's reset handshake was answered; ids are reset and sending resumes. */
    record ResetCompleted() implements KdLinkEvent {
    }

    /**
     * Input that began with a leader was malformed; a RESEND was sent unless it was only truncated.
     *
     * @param error what was wrong
     */
    record FrameRejected(KdFrameError error) implements KdLinkEvent {
    }

    /**
     * The peer's presence changed: present at the first leader received ({@code KdDebuggerNotPresent =
     * FALSE}), absent when a packet was given up after all retries.
     *
     * @param present the new value
     */
    record PeerPresenceChanged(boolean present) implements KdLinkEvent {
    }

}
