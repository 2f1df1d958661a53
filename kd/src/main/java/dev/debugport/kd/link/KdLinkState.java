package dev.debugport.kd.link;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdBreakIn;
import dev.debugport.kd.codec.KdControlPacket;
import dev.debugport.kd.codec.KdDataPacket;
import dev.debugport.kd.codec.KdDecoded;
import dev.debugport.kd.codec.KdFrame;
import dev.debugport.kd.codec.KdFrameError;
import dev.debugport.kd.codec.KdPacketIds;
import dev.debugport.kd.codec.KdPacketType;
import dev.debugport.kd.link.KdLinkEvent.DiscardReason;
import dev.debugport.kd.link.KdLinkEvent.FailureReason;
import dev.debugport.kd.link.KdLinkEvent.RetransmitCause;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One end of a KD link as a pure state machine: {@code KdSendPacket} and {@code KdReceivePacket} of
 * kddll ({@code spec/kd.md} §4, §5) without threads, sockets or a clock of its own.
 *
 * <h2>Inputs</h2>
 * <ul>
 *   <li>{@link #receive(KdDecoded, long)} - every frame or frame error from a
 *       {@link dev.debugport.kd.codec.KdFrameDecoder};</li>
 *   <li>{@link #submit(int, ByteString, long)} - a data packet to deliver to the peer;</li>
 *   <li>{@link #tick(long)} - the time, in milliseconds of any monotonic clock; timeouts fire here;</li>
 *   <li>{@link #startReset(long)} and {@link #sendBreakIn()} - a host's connection start.</li>
 * </ul>
 *
 * <h2>Outputs</h2>
 * {@link #drainOutbound()} - frames to encode and write, in order; {@link #drainEvents()} -
 * {@link KdLinkEvent}s, among them {@link KdLinkEvent.PacketReceived} for each delivered packet.
 *
 * <h2>Rules</h2>
 * <pre>
 *  send       one data packet in flight at a time, with id CurrentPacketId; the others queue
 *  ACK(id)    id == CurrentPacketId &amp; ~SYNC  -&gt; delivered: CurrentPacketId = (id ^ 1), next packet goes
 *             otherwise ignored
 *  RESEND     (or a control packet of unknown type) -&gt; the packet in flight goes again, same id
 *  RESET      target: answer RESET(0), CurrentPacketId = RemotePacketId = 0x80800000, packet goes again
 *             host:   ends its own reset handshake, or (unasked) resets its ids; never answered
 *  'b'        target: packet in flight goes again (kddll treats a break-in like a RESEND); event
 *  timeout    ackTimeout without ACK -&gt; packet goes again; after maxTimeouts it is given up and the
 *             peer is considered absent; a target's DEBUG_IO packet is given up at its first timeout
 *  data       good packet -&gt; ACK(id) (host: id &amp; ~SYNC), then the duplicate filter
 *             ({@link KdReceiveFilter}); a new one is delivered
 *  bad frame  RESEND(0) (not for a truncated frame: the sender's own timeout covers it)
 * </pre>
 *
 * <p>A host delivers a packet whose id marks it as a duplicate when its payload differs from the last packet
 * delivered: the target gave up a DEBUG_IO packet after one ACK timeout although it arrived (the ACK came late) and
 * sent its next packet with the same id. A real repeat carries the same bytes and is still dropped.
 *
 * <p>Deviation from ReactOS kddll: a data packet that arrives while this end waits for an ACK is
 * processed normally (ACKed, filtered, delivered) and the packet in flight keeps waiting for its own ACK.
 * kddll instead answers RESEND and assumes its packet arrived; if the incoming packet is a repeated old
 * request (the peer missed our ACK) that assumption loses our packet. Both directions here are
 * independent alternating-bit channels, which the peers (WinDbg, radare2, kdd) already are.
 *
 * <p>Not thread-safe; {@link KdLinkEndpoint} serialises access.
 */
public final class KdLinkState {

    private record Outgoing(long ticket, int packetType, ByteString payload) {
    }

    private final KdLinkRole role;
    private final KdLinkConfig config;
    private final KdReceiveFilter receiveFilter;

    private final ArrayDeque<Outgoing> sendQueue = new ArrayDeque<>();
    private final ArrayDeque<KdFrame> outbound = new ArrayDeque<>();
    private final ArrayDeque<KdLinkEvent> events = new ArrayDeque<>();

    private int currentPacketId;
    private boolean awaitingAck;
    private long lastTransmitMillis;
    private int timeouts;

    private boolean resetting;
    private long lastResetMillis;

    private boolean peerPresent;
    private boolean breakInPending;
    /** The payload of the last data packet delivered (a host tells a repeat from a reused id by it). */
    private ByteString lastDelivered;
    private long nextTicket = 1;

    /**
     * @param role which end this is
     * @param config timeouts and retries
     */
    public KdLinkState(KdLinkRole role, KdLinkConfig config) {
        this.role = Objects.requireNonNull(role, "role");
        this.config = Objects.requireNonNull(config, "config");
        this.receiveFilter = role == KdLinkRole.TARGET ? KdReceiveFilter.forTarget() : KdReceiveFilter.forHost();
        this.currentPacketId = role == KdLinkRole.TARGET ? KdPacketIds.bootId() : KdPacketIds.initialId();
    }

    /** @return a link with the defaults of {@code role} */
    public static KdLinkState create(KdLinkRole role) {
        return new KdLinkState(role, KdLinkConfig.defaults(role));
    }

    // ---- inputs ---------------------------------------------------------------------------------

    /**
     * Queues a data packet for the peer; it is sent at once if nothing else is in flight.
     *
     * @param packetType the PacketType (u16)
     * @param payload at most {@code PACKET_MAX_SIZE} bytes
     * @param nowMillis the current time
     * @return a ticket that {@link KdLinkEvent.Acknowledged} or {@link KdLinkEvent.SendFailed} will name
     */
    public long submit(int packetType, ByteString payload, long nowMillis) {
        new KdDataPacket(packetType, 0, payload); // validates type and size before anything is queued
        long ticket = nextTicket++;
        sendQueue.add(new Outgoing(ticket, packetType, payload));
        pump(nowMillis);
        return ticket;
    }

    /** Queues the break-in byte {@code 0x62} (host); it is not acknowledged. */
    public void sendBreakIn() {
        outbound.add(KdBreakIn.INSTANCE);
    }

    /**
     * Starts a host's reset handshake ({@code spec/kd.md} §5.3): sends RESET, repeats it every
     * {@link KdLinkConfig#resetIntervalMillis()} until a RESET answers, and holds data packets meanwhile.
     * A packet that was in flight goes again afterwards, with the reset id.
     *
     * @throws IllegalStateException on a target, which never starts a reset
     */
    public void startReset(long nowMillis) {
        if (role != KdLinkRole.HOST) {
            throw new IllegalStateException("only a host starts a reset");
        }
        resetting = true;
        awaitingAck = false;
        outbound.add(KdControlPacket.reset());
        lastResetMillis = nowMillis;
    }

    /**
     * Restarts a target's link as after a reboot ({@code DbgKdRebootApi}): every queued packet is given up
     * ({@link KdLinkEvent.SendFailed} with {@link FailureReason#RETRIES_EXHAUSTED}), the next packet carries the boot
     * id {@code 0x80800800} again (SYNC set, so the host resynchronises), the duplicate filter and a pending break-in
     * are forgotten. The peer's presence is kept: the connection is still there.
     *
     * @throws IllegalStateException on a host
     */
    public void restart(long nowMillis) {
        if (role != KdLinkRole.TARGET) {
            throw new IllegalStateException("only a target reboots");
        }
        while (!sendQueue.isEmpty()) {
            Outgoing dropped = sendQueue.remove();
            events.add(new KdLinkEvent.SendFailed(dropped.ticket(), dropped.packetType(), FailureReason.RETRIES_EXHAUSTED));
        }
        awaitingAck = false;
        timeouts = 0;
        breakInPending = false;
        currentPacketId = KdPacketIds.bootId();
        receiveFilter.reset();
    }

    /** Feeds one output of the frame decoder. */
    public void receive(KdDecoded input, long nowMillis) {
        switch (input) {
            case KdBreakIn ignored -> onBreakIn(nowMillis);
            case KdFrameError error -> onFrameError(error);
            case KdControlPacket control -> onControl(control, nowMillis);
            case KdDataPacket data -> onData(data);
        }
    }

    /** Advances the clock: fires the ACK timeout and repeats a host's RESET when they are due. */
    public void tick(long nowMillis) {
        if (resetting && nowMillis - lastResetMillis >= config.resetIntervalMillis()) {
            outbound.add(KdControlPacket.reset());
            lastResetMillis = nowMillis;
        }
        if (awaitingAck && nowMillis - lastTransmitMillis >= config.ackTimeoutMillis()) {
            timeouts++;
            Outgoing head = sendQueue.element();
            if (config.dropDebugIoOnTimeout() && head.packetType() == KdPacketType.PACKET_TYPE_KD_DEBUG_IO.value()) {
                giveUp(FailureReason.DEBUG_IO_NOT_ACKNOWLEDGED, nowMillis);
            } else if (timeouts >= config.maxTimeouts()) {
                giveUp(FailureReason.RETRIES_EXHAUSTED, nowMillis);
                setPeerPresent(false);
            } else {
                retransmit(RetransmitCause.TIMEOUT, nowMillis);
            }
        }
    }

    // ---- outputs --------------------------------------------------------------------------------

    /** @return and forget the frames to send, oldest first */
    public List<KdFrame> drainOutbound() {
        List<KdFrame> out = new ArrayList<>(outbound);
        outbound.clear();
        return out;
    }

    /** @return and forget the events, oldest first */
    public List<KdLinkEvent> drainEvents() {
        List<KdLinkEvent> out = new ArrayList<>(events);
        events.clear();
        return out;
    }

    /** @return true if frames are waiting to be sent */
    public boolean hasOutbound() {
        return !outbound.isEmpty();
    }

    /**
     * @return the earliest time at which {@link #tick(long)} will do something, or {@link Long#MAX_VALUE}
     *         when no timer runs
     */
    public long nextDeadlineMillis() {
        long deadline = Long.MAX_VALUE;
        if (resetting) {
            deadline = lastResetMillis + config.resetIntervalMillis();
        }
        if (awaitingAck) {
            deadline = Math.min(deadline, lastTransmitMillis + config.ackTimeoutMillis());
        }
        return deadline;
    }

    // ---- observers ------------------------------------------------------------------------------

    /** @return which end this is */
    public KdLinkRole role() {
        return role;
    }

    /** @return the timing parameters */
    public KdLinkConfig config() {
        return config;
    }

    /** @return {@code CurrentPacketId}: the id the packet in flight (or the next one) carries */
    public int currentPacketId() {
        return currentPacketId;
    }

    /** @return the duplicate filter's state (read-only use) */
    public KdReceiveFilter receiveFilter() {
        return receiveFilter;
    }

    /** @return true while a data packet waits for its ACK */
    public boolean isAwaitingAck() {
        return awaitingAck;
    }

    /** @return true while this host's RESET is unanswered */
    public boolean isResetting() {
        return resetting;
    }

    /** @return the packets submitted and neither acknowledged nor given up, the one in flight included */
    public int pendingPackets() {
        return sendQueue.size();
    }

    /** @return false until a leader arrives and after a packet was given up ({@code !KdDebuggerNotPresent}) */
    public boolean isPeerPresent() {
        return peerPresent;
    }

    /**
     * Reads and clears the break-in flag ({@code KdpControlCPending}).
     *
     * @return true if a break-in byte arrived since the last call
     */
    public boolean consumeBreakIn() {
        boolean pending = breakInPending;
        breakInPending = false;
        return pending;
    }

    // ---- transitions ----------------------------------------------------------------------------

    private void onBreakIn(long nowMillis) {
        breakInPending = true;
        events.add(new KdLinkEvent.BreakInReceived());
        if (role == KdLinkRole.TARGET && awaitingAck) {
            retransmit(RetransmitCause.BREAK_IN, nowMillis);
        }
    }

    private void onFrameError(KdFrameError error) {
        setPeerPresent(true);
        events.add(new KdLinkEvent.FrameRejected(error));
        if (!(error instanceof KdFrameError.Truncated)) {
            outbound.add(KdControlPacket.resend());
        }
    }

    private void onControl(KdControlPacket control, long nowMillis) {
        setPeerPresent(true);
        if (control.isAck()) {
            if (awaitingAck && control.packetId() == KdPacketIds.ackIdFor(currentPacketId)) {
                acknowledged(nowMillis);
            }
        } else if (control.isReset()) {
            onReset(nowMillis);
        } else if (awaitingAck) {
            retransmit(RetransmitCause.RESEND, nowMillis);
        }
    }

    private void onReset(long nowMillis) {
        currentPacketId = KdPacketIds.initialId();
        receiveFilter.reset();
        timeouts = 0;
        if (role == KdLinkRole.TARGET) {
            outbound.add(KdControlPacket.reset());
            events.add(new KdLinkEvent.ResetReceived());
        } else if (resetting) {
            resetting = false;
            events.add(new KdLinkEvent.ResetCompleted());
            pump(nowMillis);
            return;
        } else {
            events.add(new KdLinkEvent.ResetReceived());
        }
        if (awaitingAck) {
            retransmit(RetransmitCause.RESET, nowMillis);
        }
    }

    private void onData(KdDataPacket data) {
        setPeerPresent(true);
        if (resetting) {
            events.add(new KdLinkEvent.PacketDiscarded(data, DiscardReason.RESET_IN_PROGRESS));
            return;
        }
        int ackId = role == KdLinkRole.HOST ? KdPacketIds.ackIdFor(data.packetId()) : data.packetId();
        outbound.add(KdControlPacket.ack(ackId));
        boolean fresh = receiveFilter.accept(data.packetId());
        if (!fresh && role == KdLinkRole.HOST && lastDelivered != null && !lastDelivered.equals(data.payload())) {
            // Not a repeat of the last packet (that would carry the same bytes): the target gave up a packet we did
            // receive (a DEBUG_IO it drops after one ACK timeout, ACKed too late) and reused that packet's id.
            receiveFilter.acceptAnyway(data.packetId());
            fresh = true;
        }
        if (fresh) {
            lastDelivered = data.payload();
            events.add(new KdLinkEvent.PacketReceived(data));
        } else {
            events.add(new KdLinkEvent.PacketDiscarded(data, DiscardReason.DUPLICATE));
        }
    }

    private void acknowledged(long nowMillis) {
        Outgoing done = sendQueue.remove();
        int ackedId = KdPacketIds.ackIdFor(currentPacketId);
        currentPacketId = KdPacketIds.nextAfterAck(currentPacketId);
        awaitingAck = false;
        timeouts = 0;
        events.add(new KdLinkEvent.Acknowledged(done.ticket(), done.packetType(), ackedId));
        pump(nowMillis);
    }

    private void giveUp(FailureReason reason, long nowMillis) {
        Outgoing failed = sendQueue.remove();
        awaitingAck = false;
        timeouts = 0;
        events.add(new KdLinkEvent.SendFailed(failed.ticket(), failed.packetType(), reason));
        pump(nowMillis);
    }

    private void pump(long nowMillis) {
        if (!resetting && !awaitingAck && !sendQueue.isEmpty()) {
            transmitHead(nowMillis);
            awaitingAck = true;
            timeouts = 0;
        }
    }

    private void retransmit(RetransmitCause cause, long nowMillis) {
        Outgoing head = transmitHead(nowMillis);
        events.add(new KdLinkEvent.Retransmitted(head.ticket(), currentPacketId, cause));
    }

    private Outgoing transmitHead(long nowMillis) {
        Outgoing head = sendQueue.element();
        outbound.add(new KdDataPacket(head.packetType(), currentPacketId, head.payload()));
        lastTransmitMillis = nowMillis;
        return head;
    }

    private void setPeerPresent(boolean present) {
        if (peerPresent != present) {
            peerPresent = present;
            events.add(new KdLinkEvent.PeerPresenceChanged(present));
        }
    }
}
