package dev.debugport.kd.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdControlPacket;
import dev.debugport.kd.codec.KdDataPacket;
import dev.debugport.kd.codec.KdFrameEncoder;
import dev.debugport.kd.codec.KdFrameError;
import dev.debugport.kd.codec.KdPacketType;
import dev.debugport.kd.transport.InMemoryConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link KdLinkEndpoint} against a raw peer that writes bytes by hand. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KdLinkEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final KdLinkConfig FAST = KdLinkConfig.forTarget().withTimeouts(5, 20, 20);

    private static KdLinkEvent awaitEvent(KdLinkEndpoint endpoint, Predicate<KdLinkEvent> wanted) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            KdLinkEvent e = endpoint.pollEvent(Duration.ofMillis(100));
            if (e != null && wanted.test(e)) {
                return e;
            }
        }
        throw new AssertionError("event did not arrive");
    }

    @Test
    void aPacketNobodyAcknowledgesIsGivenUpAndThePeerConsideredAbsent() throws Exception {
        InMemoryConnection.Pair pair = InMemoryConnection.pair();
        try (KdLinkEndpoint target = KdLinkEndpoint.start(pair.first(), new KdLinkState(KdLinkRole.TARGET, FAST), "t")) {
            pair.second().write(KdFrameEncoder.encode(KdControlPacket.resend())); // a leader: someone is there
            awaitEvent(target, e -> e.equals(new KdLinkEvent.PeerPresenceChanged(true)));
            CompletableFuture<KdLinkEvent> print = target.send(KdPacketType.PACKET_TYPE_KD_DEBUG_IO.value(),
                    ByteString.latin1("hello"));
            assertEquals(KdLinkEvent.FailureReason.DEBUG_IO_NOT_ACKNOWLEDGED,
                    ((KdLinkEvent.SendFailed) print.get(10, TimeUnit.SECONDS)).reason());
            CompletableFuture<KdLinkEvent> stop = target.send(KdPacketType.PACKET_TYPE_KD_STATE_CHANGE64.value(),
                    ByteString.zeros(240));
            KdLinkEvent outcome = stop.get(10, TimeUnit.SECONDS);
            assertEquals(KdLinkEvent.FailureReason.RETRIES_EXHAUSTED, ((KdLinkEvent.SendFailed) outcome).reason());
            awaitEvent(target, e -> e.equals(new KdLinkEvent.PeerPresenceChanged(false)));
            assertFalse(target.isPeerPresent());
        }
    }

    @Test
    void aPullingThreadReadsItsRepliesItselfAndItsLastAckStillGoesOut() throws Exception {
        InMemoryConnection.Pair pair = InMemoryConnection.pair();
        java.util.concurrent.BlockingQueue<KdDataPacket> replies = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.Set<Thread> readers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        KdLinkListener onHost = event -> {
            if (event instanceof KdLinkEvent.PacketReceived p) {
                readers.add(Thread.currentThread());
                replies.add(p.packet());
            }
        };
        int manipulate = KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE.value();
        try (KdLinkEndpoint target = KdLinkEndpoint.start(pair.first(), new KdLinkState(KdLinkRole.TARGET, FAST), "t");
             KdLinkEndpoint host = KdLinkEndpoint.start(pair.second(), new KdLinkState(KdLinkRole.HOST,
                     KdLinkConfig.forHost().withTimeouts(5, 20, 20)), new dev.debugport.kd.codec.KdFrameDecoder(), "h", onHost)) {
            host.startReset();
            CompletableFuture<KdLinkEvent> lastReply = new CompletableFuture<>();
            Thread responder = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 20; i++) {
                        KdDataPacket request = target.receive(WAIT);
                        CompletableFuture<KdLinkEvent> sent = target.send(manipulate, request.payload());
                        if (i == 19) {
                            sent.whenComplete((e, x) -> lastReply.complete(e));
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < 20; i++) {
                host.send(manipulate, ByteString.of((byte) i));
                KdDataPacket reply = host.pull(replies::poll, WAIT);
                assertNotNull(reply, "reply " + i);
                assertEquals(ByteString.of((byte) i), reply.payload());
            }
            assertTrue(readers.contains(Thread.currentThread()), "replies read on the pulling thread: " + readers);
            // Its ACK waits for a send that never comes: the ticker writes it.
            assertInstanceOf(KdLinkEvent.Acknowledged.class, lastReply.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            responder.join(WAIT.toMillis());
        }
    }

    @Test
    void breakInByteReachesTheTarget() throws Exception {
        InMemoryConnection.Pair pair = InMemoryConnection.pair();
        try (KdLinkEndpoint target = KdLinkEndpoint.start(pair.first(), new KdLinkState(KdLinkRole.TARGET, FAST), "t")) {
            pair.second().write(new byte[] {0x62});
            awaitEvent(target, e -> e instanceof KdLinkEvent.BreakInReceived);
            assertTrue(target.consumeBreakIn());
            assertFalse(target.consumeBreakIn());
        }
    }

    @Test
    void aFrameCutShortByAnIdleLineIsReportedAndTheNextOneDelivered() throws Exception {
        InMemoryConnection.Pair pair = InMemoryConnection.pair();
        try (KdLinkEndpoint target = KdLinkEndpoint.start(pair.first(), new KdLinkState(KdLinkRole.TARGET, FAST), "t")) {
            byte[] frame = KdFrameEncoder.encode(new KdDataPacket(2, 0x80800000,
                    ByteString.hex("01 02 03")));
            pair.second().write(frame, 0, 10);
            KdLinkEvent rejected = awaitEvent(target, e -> e instanceof KdLinkEvent.FrameRejected);
            assertInstanceOf(KdFrameError.Truncated.class, ((KdLinkEvent.FrameRejected) rejected).error());
            pair.second().write(frame);
            assertNotNull(target.receive(WAIT));
            byte[] ack = new byte[16];
            int got = 0;
            while (got < 16) {
                got += pair.second().read(ack, got, 16 - got);
            }
            assertEquals(ByteString.of(KdFrameEncoder.encode(KdControlPacket.ack(0x80800000))), ByteString.of(ack));
        }
    }

    @Test
    void closingFailsPendingSendsAndRefusesNewOnes() throws Exception {
        InMemoryConnection.Pair pair = InMemoryConnection.pair();
        KdLinkEndpoint host = KdLinkEndpoint.start(pair.first(), KdLinkState.create(KdLinkRole.HOST), "h");
        CompletableFuture<KdLinkEvent> pending = host.send(2, ByteString.zeros(56));
        pair.second().close();
        host.closedFuture().handle((ok, error) -> null).get(10, TimeUnit.SECONDS); // EOF or a failed write
        assertFalse(host.isOpen());
        ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        assertTrue(host.send(2, ByteString.zeros(56)).isCompletedExceptionally());
        host.close();
    }
}
