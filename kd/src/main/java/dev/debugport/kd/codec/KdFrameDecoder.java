package dev.debugport.kd.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An incremental decoder from a KD byte stream to {@link KdFrame}s. It accepts arbitrary chunks (one
 * byte at a time or megabytes at once), never throws on bad input, and reports everything malformed as
 * a {@link KdFrameError} value. It does no I/O and keeps no clock; the caller says when the line has
 * gone idle ({@link #abandonPartialFrame}).
 *
 * <h2>Leader hunting</h2>
 * KD has no length prefix and no escaping, so the decoder finds frames by hunting for four equal
 * leader bytes ({@code spec/kd.md} §2):
 *
 * <pre>
 *  BEFORE (one chunk)                                          AFTER
 *  17 62 30 30 69 69 69 69 04 00 00 00 01 00 80 80 00 00 00 00  -&gt; KdBreakIn,
 *  \____garbage____/ \_________ACK of 0x80800001_____________/     KdControlPacket(ACK, 0x80800001)
 * </pre>
 *
 * <ul>
 *   <li>{@code 30} or {@code 69} starts or continues a run; the other leader byte restarts the run; any
 *       other byte clears it.</li>
 *   <li>A run of {@code 62} bytes outside a frame is one {@link KdBreakIn}, reported at once (ReactOS waits
 *       for a read timeout after the {@code 62}; a decoder without a clock cannot, so the policy is left to
 *       the link).</li>
 *   <li>When a run is longer than four, the frame starts at the <em>last</em> four: the first PacketType
 *       byte is never a leader byte, so {@code 30 30 30 30 30 30 ...} is garbage {@code 30 30} followed
 *       by a frame. This keeps a valid frame that directly follows a partial leader.</li>
 * </ul>
 *
 * <h2>Validation, up front</h2>
 * <pre>
 *  +-----------+------+-------+------+--------+-----------------+----+
 *  |  leader   | type | count |  id  |checksum| payload[count]  | AA |
 *  +-----------+------+-------+------+--------+-----------------+----+
 *   bytes 0..7 arrived: type must be 0..11          -&gt; else UnknownPacketType
 *                       data: count &lt;= limit        -&gt; else Oversized (no payload awaited)
 *   bytes 0..15 arrived: control: count and checksum 0 -&gt; KdControlPacket, else BadControlPacket
 *   all 16+count+1 arrived: trailer must be AA       -&gt; else BadTrailer
 *                           payload sum == checksum  -&gt; else BadChecksum, otherwise KdDataPacket
 * </pre>
 *
 * <h2>Resynchronisation</h2>
 * After any rejected candidate the decoder resumes hunting at the byte after the candidate's first
 * leader byte, so a good frame hidden inside the bytes a bad header claimed as its payload is still
 * found. The buffer therefore holds at most one candidate frame ({@link KdConstants#MAX_DATA_FRAME_SIZE}
 * bytes) plus one input slice.
 *
 * <p>Not thread-safe: one thread feeds a decoder. The sink must not call back into the decoder.
 */
public final class KdFrameDecoder {

    private static final int SLICE = 8192;
    private static final int NO_RUN = -1;

    private final int maxPayload;

    private byte[] buf = new byte[KdConstants.MAX_DATA_FRAME_SIZE + SLICE];
    /** First byte still needed; bytes before it are gone. */
    private int start;
    /** Next byte to examine while hunting. */
    private int pos;
    /** End of the valid bytes. */
    private int end;

    /** Hunting state: the leader byte of the current run, or {@link #NO_RUN}. */
    private int runByte = NO_RUN;
    private int runLength;
    private boolean inBreakInRun;

    /** Frame state: index of the candidate's first leader byte, or -1 while hunting. */
    private int frameStart = -1;
    private boolean controlFrame;

    private long discardedBytes;

    /** A decoder with the protocol's limit, {@link KdConstants#PACKET_MAX_SIZE} payload bytes. */
    public KdFrameDecoder() {
        this(KdConstants.PACKET_MAX_SIZE);
    }

    /**
     * @param maxPayload the largest ByteCount accepted, 0 to {@link KdConstants#PACKET_MAX_SIZE}
     *                   (radare2, for one, accepts at most 2048)
     */
    public KdFrameDecoder(int maxPayload) {
        if (maxPayload < 0 || maxPayload > KdConstants.PACKET_MAX_SIZE) {
            throw new IllegalArgumentException("maxPayload must be 0.." + KdConstants.PACKET_MAX_SIZE + ": " + maxPayload);
        }
        this.maxPayload = maxPayload;
    }

    /** @return the largest ByteCount this decoder accepts */
    public int maxPayload() {
        return maxPayload;
    }

    /** @return how many bytes were skipped as not belonging to any frame (garbage, rejected leaders) */
    public long discardedBytes() {
        return discardedBytes;
    }

    /** @return true while a leader run or a frame is incomplete, i.e. more bytes are awaited */
    public boolean hasPartialFrame() {
        return frameStart >= 0 || runLength > 0;
    }

    /** Decodes {@code bytes} and returns what they completed. */
    public List<KdDecoded> decode(byte[] bytes) {
        List<KdDecoded> out = new ArrayList<>();
        decode(bytes, 0, bytes.length, out::add);
        return out;
    }

    /**
     * Feeds {@code bytes[offset, offset + length)} and passes every frame or error they complete to
     * {@code sink}, in stream order.
     */
    public void decode(byte[] bytes, int offset, int length, Consumer<? super KdDecoded> sink) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        Objects.requireNonNull(sink, "sink");
        int done = 0;
        while (done < length) {
            int n = Math.min(SLICE, length - done);
            append(bytes, offset + done, n);
            done += n;
            process(sink);
        }
    }

    /**
     * Tells the decoder the line has been idle for the inter-byte timeout: an incomplete frame is
     * reported as {@link KdFrameError.Truncated} and the bytes after its first leader byte are hunted
     * again (frames among them go to {@code sink}); a partial leader is forgotten; the next {@code 62}
     * counts as a new break-in.
     */
    public void abandonPartialFrame(Consumer<? super KdDecoded> sink) {
        Objects.requireNonNull(sink, "sink");
        while (true) {
            if (frameStart >= 0) {
                int received = end - frameStart;
                int type = received >= 6 ? u16(frameStart + 4) : -1;
                sink.accept(new KdFrameError.Truncated(type, received));
                backtrack();
                // The rescan may complete frames; whatever is still incomplete is older than the idle period too.
                process(sink);
                continue;
            }
            if (runLength > 0) {
                if (runLength >= 4) {
                    sink.accept(new KdFrameError.Truncated(-1, 4));
                }
                discard(end);
                pos = end;
                runByte = NO_RUN;
                runLength = 0;
            }
            break;
        }
        inBreakInRun = false;
    }

    // ---------------------------------------------------------------------------------------------

    private void process(Consumer<? super KdDecoded> sink) {
        while (true) {
            if (frameStart < 0) {
                if (!hunt(sink)) {
                    return;
                }
            } else if (!parseFrame(sink)) {
                return;
            }
        }
    }

    /** @return true when a leader was found (frame state entered), false when input ran out */
    private boolean hunt(Consumer<? super KdDecoded> sink) {
        while (pos < end) {
            byte b = buf[pos];
            if (b == KdConstants.PACKET_LEADER_BYTE || b == KdConstants.CONTROL_PACKET_LEADER_BYTE) {
                inBreakInRun = false;
                if (runLength > 0 && b == runByte) {
                    runLength++;
                } else {
                    runByte = b;
                    runLength = 1;
                }
                pos++;
                continue;
            }
            if (runLength >= 4) {
                discard(pos - 4);
                frameStart = pos - 4;
                controlFrame = runByte == KdConstants.CONTROL_PACKET_LEADER_BYTE;
                runByte = NO_RUN;
                runLength = 0;
                return true;
            }
            runByte = NO_RUN;
            runLength = 0;
            if (b == KdConstants.BREAKIN_PACKET_BYTE) {
                if (!inBreakInRun) {
                    inBreakInRun = true;
                    sink.accept(KdBreakIn.INSTANCE);
                }
            } else {
                inBreakInRun = false;
            }
            pos++;
        }
        discard(pos - Math.min(runLength, 4));
        return false;
    }

    /** @return true when the candidate was settled (accepted or rejected), false when more bytes are needed */
    private boolean parseFrame(Consumer<? super KdDecoded> sink) {
        int available = end - frameStart;
        if (available < 8) {
            return false;
        }
        int type = u16(frameStart + 4);
        int count = u16(frameStart + 6);
        if (!KdPacketType.isValidOnWire(type)) {
            sink.accept(new KdFrameError.UnknownPacketType(type, controlFrame));
            backtrack();
            return true;
        }
        if (!controlFrame && count > maxPayload) {
            sink.accept(new KdFrameError.Oversized(type, count, maxPayload));
            backtrack();
            return true;
        }
        if (available < KdConstants.HEADER_SIZE) {
            return false;
        }
        int id = u32(frameStart + 8);
        int checksum = u32(frameStart + 12);
        if (controlFrame) {
            if (count != 0 || checksum != 0) {
                sink.accept(new KdFrameError.BadControlPacket(type, id, count, checksum));
                backtrack();
            } else {
                accept(sink, new KdControlPacket(type, id), KdConstants.HEADER_SIZE);
            }
            return true;
        }
        int total = KdConstants.HEADER_SIZE + count + 1;
        if (available < total) {
            return false;
        }
        int payloadStart = frameStart + KdConstants.HEADER_SIZE;
        int trailer = buf[payloadStart + count] & 0xFF;
        if (trailer != (KdConstants.PACKET_TRAILING_BYTE & 0xFF)) {
            sink.accept(new KdFrameError.BadTrailer(type, id, count, trailer));
            backtrack();
            return true;
        }
        int actual = KdChecksum.compute(buf, payloadStart, count);
        if (actual != checksum) {
            sink.accept(new KdFrameError.BadChecksum(type, id, count, checksum, actual));
            backtrack();
            return true;
        }
        accept(sink, new KdDataPacket(type, id, ByteString.of(buf, payloadStart, count)), total);
        return true;
    }

    private void accept(Consumer<? super KdDecoded> sink, KdFrame frame, int size) {
        start = frameStart + size;
        pos = start;
        frameStart = -1;
        inBreakInRun = false;
        sink.accept(frame);
    }

    /** Rejects the candidate and resumes hunting at the byte after its first leader byte. */
    private void backtrack() {
        pos = frameStart + 1;
        frameStart = -1;
        runByte = NO_RUN;
        runLength = 0;
        inBreakInRun = false;
        discard(pos);
    }

    /** Drops the bytes before {@code newStart}, counting them as discarded. */
    private void discard(int newStart) {
        if (newStart > start) {
            discardedBytes += newStart - start;
            start = newStart;
        }
    }

    private void append(byte[] src, int offset, int length) {
        if (end + length > buf.length) {
            int live = end - start;
            if (live + length > buf.length) {
                byte[] bigger = new byte[Math.max(buf.length * 2, live + length)];
                System.arraycopy(buf, start, bigger, 0, live);
                buf = bigger;
            } else {
                System.arraycopy(buf, start, buf, 0, live);
            }
            pos -= start;
            if (frameStart >= 0) {
                frameStart -= start;
            }
            end = live;
            start = 0;
        }
        System.arraycopy(src, offset, buf, end, length);
        end += length;
    }

    private int u16(int at) {
        return (buf[at] & 0xFF) | (buf[at + 1] & 0xFF) << 8;
    }

    private int u32(int at) {
        return (buf[at] & 0xFF) | (buf[at + 1] & 0xFF) << 8 | (buf[at + 2] & 0xFF) << 16 | (buf[at + 3] & 0xFF) << 24;
    }
}
