package dev.debugport.kd.link;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdDataPacket;
import dev.debugport.kd.codec.KdPacketType;
import dev.debugport.kd.transport.InMemoryConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real {@link KdLinkEndpoint}s (threads, real clock) over an in-memory stream wrapped in
 * {@link LossyConnection}s that drop, duplicate and corrupt frames: a host sends a sequence of requests
 * after the reset handshake, the target answers each; both sequences arrive exactly once and in order.
 */
class KdLinkEndpointLossyTest {

    private static final int REQUESTS = 200;
    private static final int MANIPULATE = KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE.value();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void requestsAreDeliveredExactlyOnceInOrderDespiteLoss() throws Exception {
        long seed = Long.getLong("kd.lossy.seed", System.nanoTime());
        System.out.println("KdLinkEndpointLossyTest seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        LossModel hostLine = new LossModel(random.nextLong(), 0.10, 0.05, 0.10);
        LossModel targetLine = new LossModel(random.nextLong(), 0.10, 0.05, 0.10);
        InMemoryConnection.Pair pair = InMemoryConnection.pair();
        KdLinkConfig fast = KdLinkConfig.forHost().withTimeouts(15, 40, 15).withMaxTimeouts(10_000);
        KdLinkConfig fastTarget = KdLinkConfig.forTarget().withTimeouts(15, 40, 15).withMaxTimeouts(10_000);

        try (KdLinkEndpoint host = KdLinkEndpoint.start(new LossyConnection(pair.first(), hostLine),
                     new KdLinkState(KdLinkRole.HOST, fast), "host");
             KdLinkEndpoint target = KdLinkEndpoint.start(new LossyConnection(pair.second(), targetLine),
                     new KdLinkState(KdLinkRole.TARGET, fastTarget), "target")) {

            host.startReset();
            List<ByteString> requests = new ArrayList<>();
            List<CompletableFuture<KdLinkEvent>> sent = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                requests.add(KdLinkLossSimulationTest.payload(i, random));
                sent.add(host.send(MANIPULATE, requests.get(i)));
            }

            List<ByteString> targetGot = new ArrayList<>();
            List<ByteString> hostGot = new ArrayList<>();
            while (targetGot.size() < REQUESTS) {
                KdDataPacket request = target.receive(WAIT);
                assertNotNull(request, "request #" + targetGot.size() + " did not arrive");
                targetGot.add(request.payload());
                target.send(MANIPULATE, KdLinkLossSimulationTest.reply(request.payload()));
            }
            while (hostGot.size() < REQUESTS) {
                KdDataPacket reply = host.receive(WAIT);
                assertNotNull(reply, "reply #" + hostGot.size() + " did not arrive");
                hostGot.add(reply.payload());
            }
            for (CompletableFuture<KdLinkEvent> f : sent) {
                assertInstanceOf(KdLinkEvent.Acknowledged.class, f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            }
            Sequences.assertSameSequence(requests, targetGot, "requests at the target");
            Sequences.assertSameSequence(requests.stream().map(KdLinkLossSimulationTest::reply).toList(), hostGot,
                    "replies at the host");
            // Nothing more may trickle in: a late duplicate would show up here.
            assertTrue(target.receive(Duration.ofMillis(100)) == null, "no extra request");
            System.out.println("host line: " + hostLine.stats() + "; target line: " + targetLine.stats());
        }
    }
}
