package dev.debugport.kd.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdBreakIn;
import dev.debugport.kd.codec.KdControlPacket;
import dev.debugport.kd.codec.KdDataPacket;
import dev.debugport.kd.codec.KdDecoded;
import dev.debugport.kd.codec.KdFrame;
import dev.debugport.kd.codec.KdFrameDecoder;
import dev.debugport.kd.codec.KdFrameEncoder;
import dev.debugport.kd.codec.KdFrameError;
import dev.debugport.kd.codec.KdPacketType;
import dev.debugport.kd.link.KdLinkEvent.DiscardReason;
import dev.debugport.kd.link.KdLinkEvent.FailureReason;
import dev.debugport.kd.link.KdLinkEvent.RetransmitCause;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ACK / RESEND / RESET rules of {@code spec/kd.md} §4-§5, one transition at a time, without sockets. */
class KdLinkStateTest {

    private static final int STATE_CHANGE = KdPacketType.PACKET_TYPE_KD_STATE_CHANGE64.value();
    private static final int MANIPULATE = KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE.value();
    private static final int DEBUG_IO = KdPacketType.PACKET_TYPE_KD_DEBUG_IO.value();
    private static final ByteString P1 = ByteString.hex("01");
    private static final ByteString P2 = ByteString.hex("02");
    private static final ByteString P3 = ByteString.hex("03");

    private static KdLinkState target() {
        return KdLinkState.create(KdLinkRole.TARGET);
    }

    private static KdLinkState host() {
        return KdLinkState.create(KdLinkRole.HOST);
    }

    private static <T> List<T> only(List<?> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void targetIdsFollowTheSpecSequence() {
        KdLinkState link = target();
        link.submit(STATE_CHANGE, P1, 0);
        link.submit(MANIPULATE, P2, 0);
        link.submit(MANIPULATE, P3, 0);
        link.submit(MANIPULATE, P1, 0);
        int[] expected = {0x80800800, 0x80800001, 0x80800000, 0x80800001};
        for (int id : expected) {
            List<KdFrame> out = link.drainOutbound();
            assertEquals(1, out.size());
            assertEquals(id, ((KdDataPacket) out.getFirst()).packetId());
            link.receive(KdControlPacket.ack(id & ~0x800), 1);
        }
        List<KdLinkEvent.Acknowledged> acks = only(link.drainEvents(), KdLinkEvent.Acknowledged.class);
        assertEquals(List.of(1L, 2L, 3L, 4L), acks.stream().map(KdLinkEvent.Acknowledged::ticket).toList());
        assertEquals(0x80800000, link.currentPacketId());
        assertFalse(link.isAwaitingAck());
    }

    @Test
    void onePacketInFlightTheOthersQueue() {
        KdLinkState link = target();
        link.submit(MANIPULATE, P1, 0);
        link.submit(MANIPULATE, P2, 0);
        assertEquals(1, link.drainOutbound().size());
        assertEquals(2, link.pendingPackets());
        link.receive(KdControlPacket.ack(0x80800000), 5);
        List<KdFrame> next = link.drainOutbound();
        assertEquals(List.of(new KdDataPacket(MANIPULATE, 0x80800001, P2)), next);
    }

    @Test
    void ackStillCarryingTheSyncBitIsIgnored() {
        KdLinkState link = target();
        link.submit(STATE_CHANGE, P1, 0);
        link.drainOutbound();
        link.receive(KdControlPacket.ack(0x80800800), 1);
        assertTrue(link.isAwaitingAck());
        link.receive(KdControlPacket.ack(0x80800001), 1);
        assertTrue(link.isAwaitingAck(), "an ACK for the wrong id is ignored");
        link.receive(KdControlPacket.ack(0x80800000), 1);
        assertFalse(link.isAwaitingAck());
    }

    @Test
    void targetAcksDataWithTheIdAsIsAndHostClearsTheSyncBit() {
        KdLinkState t = target();
        t.receive(new KdDataPacket(MANIPULATE, 0x80800000, P1), 0);
        assertEquals(List.of(KdControlPacket.ack(0x80800000)), t.drainOutbound());
        KdLinkState h = host();
        h.receive(new KdDataPacket(STATE_CHANGE, 0x80800800, P1), 0);
        assertEquals(List.of(KdControlPacket.ack(0x80800000)), h.drainOutbound());
        assertEquals(List.of(new KdLinkEvent.PeerPresenceChanged(true),
                new KdLinkEvent.PacketReceived(new KdDataPacket(STATE_CHANGE, 0x80800800, P1))), h.drainEvents());
    }

    @Test
    void duplicatePacketIdIsAckedAgainButDeliveredOnce() {
        KdLinkState link = target();
        KdDataPacket request = new KdDataPacket(MANIPULATE, 0x80800000, P1);
        link.receive(request, 0);
        link.receive(request, 1);
        assertEquals(List.of(KdControlPacket.ack(0x80800000), KdControlPacket.ack(0x80800000)), link.drainOutbound());
        List<KdLinkEvent> events = link.drainEvents();
        assertEquals(1, only(events, KdLinkEvent.PacketReceived.class).size());
        assertEquals(List.of(new KdLinkEvent.PacketDiscarded(request, DiscardReason.DUPLICATE)),
                only(events, KdLinkEvent.PacketDiscarded.class));
        link.receive(new KdDataPacket(MANIPULATE, 0x80800001, P2), 2);
        assertEquals(1, only(link.drainEvents(), KdLinkEvent.PacketReceived.class).size());
    }

    @Test
    void targetRejectsAFirstHostPacketWithAnotherIdAsDuplicate() {
        KdLinkState link = target();
        link.receive(new KdDataPacket(MANIPULATE, 0x80800001, P1), 0);
        assertEquals(List.of(KdControlPacket.ack(0x80800001)), link.drainOutbound());
        assertEquals(0, only(link.drainEvents(), KdLinkEvent.PacketReceived.class).size());
    }

    @Test
    void badChecksumIsAnsweredWithResend() {
        KdLinkState link = target();
        byte[] bad = KdFrameEncoder.encodeData(MANIPULATE, 0x80800000, P1, 99);
        for (KdDecoded d : new KdFrameDecoder().decode(bad)) {
            link.receive(d, 0);
        }
        assertEquals(List.of(KdControlPacket.resend()), link.drainOutbound());
        List<KdLinkEvent> events = link.drainEvents();
        assertEquals(1, only(events, KdLinkEvent.FrameRejected.class).size());
        assertEquals(0, only(events, KdLinkEvent.PacketReceived.class).size());
    }

    @Test
    void truncatedFrameIsNotAnsweredWithResend() {
        KdLinkState link = target();
        link.receive(new KdFrameError.Truncated(2, 10), 0);
        assertEquals(List.of(), link.drainOutbound());
    }

    @Test
    void resendMakesThePacketInFlightGoAgainWithTheSameId() {
        KdLinkState link = target();
        link.submit(STATE_CHANGE, P1, 0);
        KdFrame first = link.drainOutbound().getFirst();
        link.receive(KdControlPacket.resend(), 3);
        assertEquals(List.of(first), link.drainOutbound());
        link.receive(new KdControlPacket(9, 0), 4);
        assertEquals(List.of(first), link.drainOutbound(), "an unknown control type counts as RESEND");
        assertEquals(2, only(link.drainEvents(), KdLinkEvent.Retransmitted.class).size());
    }

    @Test
    void targetAnswersResetResetsIdsAndResendsThePendingPacket() {
        KdLinkState link = target();
        link.receive(new KdDataPacket(MANIPULATE, 0x80800000, P1), 0); // expectation moves to ...01
        link.submit(STATE_CHANGE, P2, 0);
        link.drainOutbound();
        link.drainEvents();
        link.receive(KdControlPacket.reset(), 1);
        assertEquals(List.of(KdControlPacket.reset(), new KdDataPacket(STATE_CHANGE, 0x80800000, P2)),
                link.drainOutbound());
        List<KdLinkEvent> events = link.drainEvents();
        assertEquals(new KdLinkEvent.ResetReceived(), events.get(0));
        assertEquals(new KdLinkEvent.Retransmitted(1, 0x80800000, RetransmitCause.RESET), events.get(1));
        assertEquals(0x80800000, link.receiveFilter().expectedId());
        link.receive(KdControlPacket.ack(0x80800000), 2);
        assertEquals(0x80800001, link.currentPacketId());
    }

    @Test
    void hostResetHandshake() {
        KdLinkState link = host();
        link.sendBreakIn();
        link.startReset(0);
        assertEquals(List.of(KdBreakIn.INSTANCE, KdControlPacket.reset()), link.drainOutbound());
        link.submit(MANIPULATE, P1, 0);
        assertEquals(List.of(), link.drainOutbound(), "data is held while the reset is unanswered");

        KdDataPacket stale = new KdDataPacket(STATE_CHANGE, 0x80800800, P2);
        link.receive(stale, 10);
        assertEquals(List.of(), link.drainOutbound(), "not ACKed, so the target sends it again after the reset");
        assertEquals(List.of(new KdLinkEvent.PeerPresenceChanged(true),
                new KdLinkEvent.PacketDiscarded(stale, DiscardReason.RESET_IN_PROGRESS)), link.drainEvents());

        link.tick(999);
        assertEquals(List.of(), link.drainOutbound());
        link.tick(1000);
        assertEquals(List.of(KdControlPacket.reset()), link.drainOutbound(), "RESET repeats every second");

        link.receive(KdControlPacket.reset(), 1001);
        assertFalse(link.isResetting());
        assertEquals(List.of(new KdDataPacket(MANIPULATE, 0x80800000, P1)), link.drainOutbound());
        assertEquals(List.of(new KdLinkEvent.ResetCompleted()), link.drainEvents());
        assertEquals(List.of(), link.drainOutbound(), "a RESET is never answered by a host");

        link.receive(new KdDataPacket(STATE_CHANGE, 0x80800000, P2), 1002);
        assertEquals(List.of(KdControlPacket.ack(0x80800000)), link.drainOutbound());
        assertEquals(1, only(link.drainEvents(), KdLinkEvent.PacketReceived.class).size());
    }

    @Test
    void targetCannotStartAReset() {
        assertThrows(IllegalStateException.class, () -> target().startReset(0));
    }

    @Test
    void unsolicitedResetOnAHostResetsIdsWithoutReply() {
        KdLinkState link = host();
        link.submit(MANIPULATE, P1, 0);
        link.receive(KdControlPacket.ack(0x80800000), 1);
        link.submit(MANIPULATE, P2, 2);
        assertEquals(0x80800001, ((KdDataPacket) link.drainOutbound().getLast()).packetId());
        link.receive(KdControlPacket.reset(), 3);
        assertEquals(List.of(new KdDataPacket(MANIPULATE, 0x80800000, P2)), link.drainOutbound());
        assertTrue(link.drainEvents().contains(new KdLinkEvent.ResetReceived()));
    }

    @Test
    void retransmissionAfterTimeoutThenGiveUpAfterTwentyTimeouts() {
        KdLinkState link = target();
        link.receive(KdControlPacket.resend(), 0); // a leader: the host is present
        link.drainOutbound();
        link.submit(STATE_CHANGE, P1, 0);
        KdFrame sent = link.drainOutbound().getFirst();
        assertEquals(100, link.nextDeadlineMillis());
        link.tick(99);
        assertEquals(List.of(), link.drainOutbound(), "no retransmission before the ACK timeout");
        long now = 100;
        for (int timeout = 1; timeout < 20; timeout++, now += 100) {
            link.tick(now);
            assertEquals(List.of(sent), link.drainOutbound(), "retransmission #" + timeout);
        }
        link.drainEvents();
        link.tick(now);
        assertEquals(List.of(), link.drainOutbound());
        assertEquals(List.of(new KdLinkEvent.SendFailed(1, STATE_CHANGE, FailureReason.RETRIES_EXHAUSTED),
                new KdLinkEvent.PeerPresenceChanged(false)), link.drainEvents());
        assertFalse(link.isPeerPresent());
        assertEquals(Long.MAX_VALUE, link.nextDeadlineMillis());
        assertEquals(0x80800800, link.currentPacketId(), "an id is only consumed by an ACK");
    }

    @Test
    void targetDropsDebugIoAtItsFirstTimeout() {
        KdLinkState link = target();
        link.submit(DEBUG_IO, P1, 0);
        link.submit(STATE_CHANGE, P2, 0);
        link.drainOutbound();
        link.tick(100);
        assertEquals(List.of(new KdDataPacket(STATE_CHANGE, 0x80800800, P2)), link.drainOutbound(),
                "the print is dropped and the next packet goes with the same id");
        assertEquals(List.of(new KdLinkEvent.SendFailed(1, DEBUG_IO, FailureReason.DEBUG_IO_NOT_ACKNOWLEDGED)),
                link.drainEvents());
    }

    @Test
    void hostRetriesDebugIo() {
        KdLinkState link = host();
        link.submit(DEBUG_IO, P1, 0);
        KdFrame sent = link.drainOutbound().getFirst();
        link.tick(100);
        assertEquals(List.of(sent), link.drainOutbound());
    }

    @Test
    void breakInOnATargetWaitingForAnAckResendsAndSetsThePendingFlag() {
        KdLinkState link = target();
        link.submit(STATE_CHANGE, P1, 0);
        KdFrame sent = link.drainOutbound().getFirst();
        link.receive(KdBreakIn.INSTANCE, 1);
        assertEquals(List.of(sent), link.drainOutbound());
        assertTrue(link.drainEvents().contains(new KdLinkEvent.BreakInReceived()));
        assertTrue(link.consumeBreakIn());
        assertFalse(link.consumeBreakIn());
        assertFalse(link.isPeerPresent(), "a break-in byte is not a leader");
    }

    @Test
    void dataWhileWaitingForAnAckIsProcessedAndThePacketKeepsWaiting() {
        KdLinkState link = target();
        link.submit(STATE_CHANGE, P1, 0);
        link.drainOutbound();
        KdDataPacket request = new KdDataPacket(MANIPULATE, 0x80800000, P2);
        link.receive(request, 1);
        assertEquals(List.of(KdControlPacket.ack(0x80800000)), link.drainOutbound());
        assertTrue(link.drainEvents().contains(new KdLinkEvent.PacketReceived(request)));
        assertTrue(link.isAwaitingAck(), "the host's request is not taken as an ACK");
    }

    @Test
    void theSpecHandshakeBetweenTwoLinks() {
        // spec/kd.md §5.3: a target reports a stop (0x80800800) before the host is there; the host sends
        // 'b' and RESET, the target answers RESET and resends the stop as 0x80800000; the host gets it once.
        KdLinkState t = target();
        KdLinkState h = host();
        t.submit(STATE_CHANGE, P1, 0);
        List<KdFrame> lostBeforeConnect = t.drainOutbound();
        assertEquals(0x80800800, ((KdDataPacket) lostBeforeConnect.getFirst()).packetId());
        h.sendBreakIn();
        h.startReset(0);
        h.submit(MANIPULATE, P2, 0); // GetVersion, queued behind the reset
        long now = 1;
        for (int round = 0; round < 10; round++, now++) {
            for (KdFrame f : h.drainOutbound()) {
                for (KdDecoded d : new KdFrameDecoder().decode(KdFrameEncoder.encode(f))) {
                    t.receive(d, now);
                }
            }
            for (KdFrame f : t.drainOutbound()) {
                for (KdDecoded d : new KdFrameDecoder().decode(KdFrameEncoder.encode(f))) {
                    h.receive(d, now);
                }
            }
        }
        List<KdDataPacket> hostGot = only(h.drainEvents(), KdLinkEvent.PacketReceived.class).stream()
                .map(KdLinkEvent.PacketReceived::packet).toList();
        assertEquals(List.of(new KdDataPacket(STATE_CHANGE, 0x80800000, P1)), hostGot);
        List<KdDataPacket> targetGot = only(t.drainEvents(), KdLinkEvent.PacketReceived.class).stream()
                .map(KdLinkEvent.PacketReceived::packet).toList();
        assertEquals(List.of(new KdDataPacket(MANIPULATE, 0x80800000, P2)), targetGot);
        assertFalse(t.isAwaitingAck());
        assertFalse(h.isAwaitingAck());
        assertEquals(0x80800001, t.currentPacketId());
        assertEquals(0x80800001, h.currentPacketId());
    }
}
