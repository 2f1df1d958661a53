package dev.debugport.kd.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdControlPacket;
import dev.debugport.kd.codec.KdDataPacket;
import dev.debugport.kd.codec.KdDecoded;
import dev.debugport.kd.codec.KdFrameDecoder;
import dev.debugport.kd.codec.KdFrameEncoder;
import dev.debugport.kd.codec.KdFrame;
import dev.debugport.kd.link.KdLinkEvent;
import dev.debugport.kd.link.KdLinkRole;
import dev.debugport.kd.link.KdLinkState;
import dev.debugport.kd.message.KdArchitecture;
import dev.debugport.kd.message.KdMessageCodec;
import dev.debugport.kd.message.KdMessageDecodeResult;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Feeds over a million random and mutated frames, in random chunk sizes, into a frame decoder, two link
 * state machines and the message codec. Properties: no exception ever escapes; after the line goes idle
 * the next valid frame is decoded exactly; after pure garbage, partial leaders, break-ins or truncated
 * control packets (no idle in between) a valid frame is still decoded.
 *
 * <p>The seed is printed; rerun a failure with {@code -Dkd.fuzz.seed=<seed>}.
 */
class KdFuzzTest {

    private static final int FRAMES = 1_000_000;
    private static final int SENTINEL_EVERY = 500;

    private final KdMessageCodec codec = new KdMessageCodec(KdArchitecture.AMD64);
    private final KdMessageCodec codec32 = new KdMessageCodec(KdArchitecture.X86);

    @Test
    void decoderAndLinkSurviveAMillionRandomAndMutatedFrames() {
        long seed = Long.getLong("kd.fuzz.seed", System.nanoTime());
        System.out.println("KdFuzzTest seed=" + seed + " (rerun with -Dkd.fuzz.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        KdFrameDecoder decoder = new KdFrameDecoder();
        KdLinkState target = KdLinkState.create(KdLinkRole.TARGET);
        KdLinkState host = KdLinkState.create(KdLinkRole.HOST);
        List<KdDecoded> out = new ArrayList<>();
        long now = 0;
        long decodedFrames = 0;
        long errors = 0;
        int sentinels = 0;

        for (int i = 1; i <= FRAMES; i++) {
            byte[] bytes = nextFrame(random);
            out.clear();
            feedInChunks(decoder, bytes, random, out);
            now += random.nextInt(30);
            for (KdDecoded d : out) {
                if (d instanceof KdFrame) {
                    decodedFrames++;
                } else {
                    errors++;
                }
                target.receive(d, now);
                host.receive(d, now);
            }
            target.tick(now);
            host.tick(now);
            if (random.nextInt(50) == 0 && target.pendingPackets() < 8) {
                target.submit(random.nextInt(12), randomBytes(random, random.nextInt(64)), now);
            }
            if (random.nextInt(50) == 0 && host.pendingPackets() < 8) {
                if (random.nextInt(20) == 0) {
                    host.startReset(now);
                }
                host.submit(random.nextInt(12), randomBytes(random, random.nextInt(64)), now);
            }
            drain(target);
            drain(host);
            if (i % SENTINEL_EVERY == 0) {
                checkSentinelAfterIdle(decoder, random);
                checkSentinelAfterResyncableGarbage(decoder, random);
                sentinels += 2;
            }
        }
        System.out.printf("KdFuzzTest: %d frames fed, %d decoded, %d rejected as values, %d sentinel checks,"
                + " %d bytes discarded%n", FRAMES, decodedFrames, errors, sentinels, decoder.discardedBytes());
        assertTrue(decodedFrames > FRAMES / 4, "the generator produces mostly decodable frames");
        assertTrue(errors > FRAMES / 20, "and a good share of malformed ones");
    }

    @Test
    void messageCodecSurvivesRandomPayloads() {
        long seed = Long.getLong("kd.fuzz.seed", System.nanoTime());
        System.out.println("KdFuzzTest messages seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        int decoded = 0;
        for (int i = 0; i < 200_000; i++) {
            int type = 1 + random.nextInt(11);
            byte[] payload = randomBytes(random, random.nextInt(320)).toByteArray();
            if (payload.length >= 4 && random.nextBoolean()) {
                int api = switch (type) {
                    case 3 -> 0x3230 + random.nextInt(3);
                    case 7 -> 0x3030 + random.nextInt(4) | (random.nextBoolean() ? 0x10000 : 0);
                    default -> 0x3130 + random.nextInt(0x34);
                };
                payload[0] = (byte) api;
                payload[1] = (byte) (api >>> 8);
                payload[2] = (byte) (api >>> 16);
                payload[3] = 0;
            }
            KdDataPacket packet = new KdDataPacket(type, 0, ByteString.of(payload));
            KdMessageCodec c = random.nextBoolean() ? codec : codec32;
            if (c.decode(packet) instanceof KdMessageDecodeResult.Decoded) {
                decoded++;
            }
            roundTripIfDecodable(c, packet);
        }
        assertTrue(decoded > 10_000, "many payloads decode: " + decoded);
    }

    /** Arbitrary garbage, then an idle line, then a valid frame: exactly that frame comes out. */
    private static void checkSentinelAfterIdle(KdFrameDecoder decoder, SplittableRandom random) {
        List<KdDecoded> ignored = new ArrayList<>();
        byte[] junk = mutate(validFrame(random), random);
        decoder.decode(junk, 0, junk.length, ignored::add);
        decoder.abandonPartialFrame(ignored::add);
        KdFrame sentinel = sentinel(random);
        List<KdDecoded> got = new ArrayList<>();
        feedInChunks(decoder, KdFrameEncoder.encode(sentinel), random, got);
        assertEquals(List.of(sentinel), got, "a valid frame after an idle line");
    }

    /**
     * From a clean state: random bytes, then something the decoder must see through (a partial leader,
     * break-in bytes, a truncated control packet), then a valid frame, with no idle in between.
     */
    private static void checkSentinelAfterResyncableGarbage(KdFrameDecoder decoder, SplittableRandom random) {
        List<KdDecoded> ignored = new ArrayList<>();
        decoder.abandonPartialFrame(ignored::add);
        ByteArrayOutputStream garbage = new ByteArrayOutputStream();
        garbage.writeBytes(randomBytes(random, random.nextInt(64)).toByteArray());
        switch (random.nextInt(4)) {
            case 0 -> garbage.writeBytes(repeat((byte) 0x30, 1 + random.nextInt(6)));
            case 1 -> garbage.writeBytes(repeat((byte) 0x69, 1 + random.nextInt(6)));
            case 2 -> garbage.writeBytes(repeat((byte) 0x62, 1 + random.nextInt(4)));
            default -> {
                byte[] control = KdFrameEncoder.encode(new KdControlPacket(4 + random.nextInt(3), random.nextInt()));
                garbage.write(control, 0, 1 + random.nextInt(15));
            }
        }
        KdFrame sentinel = sentinel(random);
        List<KdDecoded> got = new ArrayList<>();
        feedInChunks(decoder, garbage.toByteArray(), random, got);
        feedInChunks(decoder, KdFrameEncoder.encode(sentinel), random, got);
        assertTrue(got.contains(sentinel), () -> "a valid frame after garbage " + ByteString.of(garbage.toByteArray())
                + " was not decoded: " + got);
    }

    private static KdFrame sentinel(SplittableRandom random) {
        if (random.nextBoolean()) {
            return KdControlPacket.ack(0x80800000 | random.nextInt(2));
        }
        return new KdDataPacket(1 + random.nextInt(11), 0x80800000 | random.nextInt(2),
                randomBytes(random, 1 + random.nextInt(40)));
    }

    private void drain(KdLinkState link) {
        link.drainOutbound();
        for (KdLinkEvent event : link.drainEvents()) {
            if (event instanceof KdLinkEvent.PacketReceived(KdDataPacket packet)) {
                roundTripIfDecodable(codec, packet);
                roundTripIfDecodable(codec32, packet);
            }
        }
    }

    /** Whatever a valid packet carries either decodes, and then re-decodes the same, or is reported undecodable. */
    private static void roundTripIfDecodable(KdMessageCodec codec, KdDataPacket packet) {
        if (codec.decode(packet) instanceof KdMessageDecodeResult.Decoded(var message)) {
            ByteString again = codec.encode(message);
            assertEquals(new KdMessageDecodeResult.Decoded(message), codec.decode(packet.packetType(), again));
        }
    }

    // ---- generators -----------------------------------------------------------------------------

    private static void feedInChunks(KdFrameDecoder decoder, byte[] bytes, SplittableRandom random,
                                     List<KdDecoded> sink) {
        int at = 0;
        while (at < bytes.length) {
            int n = random.nextInt(4) == 0 ? 1 + random.nextInt(bytes.length - at) : bytes.length - at;
            decoder.decode(bytes, at, n, sink::add);
            at += n;
        }
    }

    private static byte[] nextFrame(SplittableRandom random) {
        int kind = random.nextInt(100);
        if (kind < 40) {
            return validFrame(random);
        }
        if (kind < 80) {
            return mutate(validFrame(random), random);
        }
        if (kind < 95) {
            return garbage(random);
        }
        return repeat((byte) 0x62, 1 + random.nextInt(4));
    }

    private static byte[] validFrame(SplittableRandom random) {
        int id = switch (random.nextInt(4)) {
            case 0 -> 0x80800000;
            case 1 -> 0x80800001;
            case 2 -> 0x80800800;
            default -> random.nextInt();
        };
        if (random.nextInt(3) == 0) {
            int type = random.nextInt(10) == 0 ? random.nextInt(12) : 4 + random.nextInt(3);
            return KdFrameEncoder.encode(new KdControlPacket(type, id));
        }
        int type = switch (random.nextInt(4)) {
            case 0 -> 2;
            case 1 -> 3;
            case 2 -> 7;
            default -> random.nextInt(12);
        };
        int length = random.nextInt(100) == 0 ? random.nextInt(4001) : random.nextInt(300);
        ByteString payload = randomBytes(random, length);
        if (length >= 16 && random.nextBoolean()) {
            // Plausible API numbers so the message codec sees known and unknown APIs.
            byte[] p = payload.toByteArray();
            int api = type == 3 ? 0x3230 + random.nextInt(3) : 0x3130 + random.nextInt(0x34);
            if (type == 7) {
                api = 0x3030 + random.nextInt(4) | (random.nextInt(4) == 0 ? 0x10000 : 0);
            }
            p[0] = (byte) api;
            p[1] = (byte) (api >>> 8);
            p[2] = (byte) (api >>> 16);
            p[3] = 0;
            payload = ByteString.of(p);
        }
        return KdFrameEncoder.encode(new KdDataPacket(type, id, payload));
    }

    private static byte[] mutate(byte[] frame, SplittableRandom random) {
        byte[] f = frame;
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations && f.length > 0; m++) {
            switch (random.nextInt(7)) {
                case 0 -> f[random.nextInt(f.length)] ^= (byte) (1 + random.nextInt(255));
                case 1 -> f = Arrays.copyOf(f, random.nextInt(f.length));
                case 2 -> {
                    byte[] tail = randomBytes(random, random.nextInt(20)).toByteArray();
                    byte[] g = Arrays.copyOf(f, f.length + tail.length);
                    System.arraycopy(tail, 0, g, f.length, tail.length);
                    f = g;
                }
                case 3 -> {
                    if (f.length >= 8) {
                        int count = random.nextInt(3) == 0 ? 4001 + random.nextInt(60000) : random.nextInt(4001);
                        f[6] = (byte) count;
                        f[7] = (byte) (count >>> 8);
                    }
                }
                case 4 -> {
                    if (f.length >= 16) {
                        f[12 + random.nextInt(4)] ^= (byte) (1 + random.nextInt(255));
                    }
                }
                case 5 -> {
                    byte leader = random.nextBoolean() ? (byte) 0x30 : (byte) 0x69;
                    for (int k = 0; k < Math.min(4, f.length); k++) {
                        f[k] = leader;
                    }
                }
                default -> {
                    int from = random.nextInt(f.length);
                    int len = random.nextInt(f.length - from + 1);
                    byte[] g = new byte[f.length + len];
                    System.arraycopy(f, 0, g, 0, from + len);
                    System.arraycopy(f, from, g, from + len, f.length - from);
                    f = g;
                }
            }
        }
        return f;
    }

    private static byte[] garbage(SplittableRandom random) {
        byte[] alphabet = {0x30, 0x69, 0x62, (byte) 0xAA, 0x00, 0x02, 0x04, 0x07};
        byte[] g = new byte[random.nextInt(120)];
        boolean biased = random.nextBoolean();
        for (int i = 0; i < g.length; i++) {
            g[i] = biased && random.nextInt(3) > 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
        }
        return g;
    }

    private static ByteString randomBytes(SplittableRandom random, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return ByteString.of(b);
    }

    private static byte[] repeat(byte value, int count) {
        byte[] b = new byte[count];
        Arrays.fill(b, value);
        return b;
    }
}
