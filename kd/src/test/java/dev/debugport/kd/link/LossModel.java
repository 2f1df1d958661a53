package dev.debugport.kd.link;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Decides, with a seeded random, what a lossy line does to one written chunk (one encoded KD frame):
 * drop it, deliver it twice, or corrupt one byte of it. Order is preserved.
 *
 * <p>Corruption only hits bytes the KD protocol can detect: the leader of any packet (the packet then
 * vanishes into garbage) and, of a data packet, ByteCount, Checksum, payload and trailer. The
 * PacketType and PacketId of a data packet and every field of a control packet after its leader are not
 * covered by any checksum in KD, so no receiver could notice a change there; a corrupted ACK id, for
 * one, would acknowledge a packet that never arrived. Exactly one byte is changed per corrupted chunk,
 * because two changes in a payload can cancel out in the additive checksum.
 */
final class LossModel {

    private final SplittableRandom random;
    private final double drop;
    private final double duplicate;
    private final double corrupt;
    private long dropped;
    private long duplicated;
    private long corrupted;

    LossModel(long seed, double drop, double duplicate, double corrupt) {
        this.random = new SplittableRandom(seed);
        this.drop = drop;
        this.duplicate = duplicate;
        this.corrupt = corrupt;
    }

    synchronized List<byte[]> apply(byte[] chunk) {
        List<byte[]> out = new ArrayList<>(2);
        if (random.nextDouble() < drop) {
            dropped++;
            return out;
        }
        byte[] first = chunk.clone();
        if (random.nextDouble() < corrupt && corruptOneByte(first)) {
            corrupted++;
        }
        out.add(first);
        if (random.nextDouble() < duplicate) {
            duplicated++;
            out.add(chunk.clone());
        }
        return out;
    }

    synchronized String stats() {
        return "dropped=" + dropped + " duplicated=" + duplicated + " corrupted=" + corrupted;
    }

    private boolean corruptOneByte(byte[] frame) {
        if (frame.length < 16) {
            return false; // a break-in byte: dropped or duplicated only
        }
        int position;
        if (frame[0] == 0x69) {
            position = random.nextInt(4);
        } else {
            // leader 0..3, ByteCount 6..7, Checksum 12..15, payload and trailer 16..end
            do {
                position = random.nextInt(frame.length);
            } while ((position >= 4 && position <= 5) || (position >= 8 && position <= 11));
        }
        frame[position] ^= (byte) (1 + random.nextInt(255));
        return true;
    }
}
