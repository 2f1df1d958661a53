package dev.debugport.kd.link;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdDataPacket;
import dev.debugport.kd.codec.KdPacketType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exactly-once, in-order delivery in both directions over a line that drops, duplicates and corrupts,
 * simulated deterministically (virtual clock) for several seeds.
 */
class KdLinkLossSimulationTest {

    private static final int REQUESTS = 300;
    private static final int MANIPULATE = KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE.value();

    static ByteString payload(int index, SplittableRandom random) {
        int extra = random.nextInt(200);
        ByteBuffer b = ByteBuffer.allocate(4 + extra);
        b.putInt(index);
        for (int i = 0; i < extra; i++) {
            b.put((byte) random.nextInt(256));
        }
        return ByteString.of(b.array());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 0x5eed_cafe_f00dL, 0x1234_5678_9abcL})
    void requestsAndRepliesArriveExactlyOnceInOrder(long seed) {
        System.out.println("KdLinkLossSimulationTest seed=" + seed);
        run(seed, 0.10, 0.05, 0.10);
    }

    static void run(long seed, double drop, double duplicate, double corrupt) {
        SplittableRandom random = new SplittableRandom(seed);
        KdLinkConfig config = KdLinkConfig.forHost().withMaxTimeouts(1000);
        LinkSimulation sim = new LinkSimulation(config, KdLinkConfig.forTarget().withMaxTimeouts(1000),
                new LossModel(random.nextLong(), drop, duplicate, corrupt),
                new LossModel(random.nextLong(), drop, duplicate, corrupt));

        List<ByteString> requests = new ArrayList<>();
        sim.host.startReset(sim.now);
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(payload(i, random));
            sim.host.submit(MANIPULATE, requests.get(i), sim.now);
        }

        List<ByteString> targetGot = new ArrayList<>();
        List<ByteString> hostGot = new ArrayList<>();
        int steps = 0;
        while ((hostGot.size() < REQUESTS || sim.host.pendingPackets() > 0 || sim.target.pendingPackets() > 0)
                && steps++ < 2_000_000) {
            sim.step();
            for (KdLinkEvent e : sim.targetEvents) {
                if (e instanceof KdLinkEvent.PacketReceived(KdDataPacket p)) {
                    targetGot.add(p.payload());
                    sim.target.submit(MANIPULATE, reply(p.payload()), sim.now); // the reply goes back
                }
            }
            for (KdLinkEvent e : sim.hostEvents) {
                if (e instanceof KdLinkEvent.PacketReceived(KdDataPacket p)) {
                    hostGot.add(p.payload());
                }
                assertTrue(!(e instanceof KdLinkEvent.SendFailed), "nothing is given up: " + e);
            }
            sim.targetEvents.clear();
            sim.hostEvents.clear();
        }
        Sequences.assertSameSequence(requests, targetGot, "target received every request once, in order");
        Sequences.assertSameSequence(requests.stream().map(KdLinkLossSimulationTest::reply).toList(), hostGot,
                "host received every reply once, in order");
    }

    static ByteString reply(ByteString request) {
        return ByteString.hex("ee").concat(request);
    }
}
