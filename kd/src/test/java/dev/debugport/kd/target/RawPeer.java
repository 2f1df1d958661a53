package dev.debugport.kd.target;

import dev.debugport.kd.codec.KdBreakIn;
import dev.debugport.kd.codec.KdControlPacket;
import dev.debugport.kd.codec.KdDataPacket;
import dev.debugport.kd.codec.KdDecoded;
import dev.debugport.kd.codec.KdFrame;
import dev.debugport.kd.codec.KdFrameDecoder;
import dev.debugport.kd.codec.KdFrameEncoder;
import dev.debugport.kd.message.DbgkdManipulateState64;
import dev.debugport.kd.message.KdArchitecture;
import dev.debugport.kd.message.KdMessageCodec;
import dev.debugport.kd.message.ManipulateApi;
import dev.debugport.kd.transport.InMemoryConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A host written by hand, frame by frame, on one end of an in-memory line (the target has the other end). */
final class RawPeer implements AutoCloseable {
    static final KdMessageCodec CODEC = new KdMessageCodec(KdArchitecture.AMD64);

    final InMemoryConnection targetSide;
    private final InMemoryConnection line;
    private final BlockingQueue<KdDecoded> frames = new LinkedBlockingQueue<>();
    private final Thread reader;

    RawPeer() {
        InMemoryConnection.Pair pair = InMemoryConnection.pair();
        this.targetSide = pair.first();
        this.line = pair.second();
        this.reader = Thread.ofPlatform().daemon().name("raw-peer").start(() -> {
            KdFrameDecoder decoder = new KdFrameDecoder();
            byte[] buffer = new byte[8192];
            while (true) {
                int n = line.read(buffer, 0, buffer.length);
                if (n < 0) {
                    return;
                }
                decoder.decode(buffer, 0, n, frames::add);
            }
        });
    }

    void send(KdFrame frame) throws IOException {
        line.write(KdFrameEncoder.encode(frame));
    }

    void sendRequest(int id, ManipulateApi api) throws IOException {
        send(CODEC.toPacket(DbgkdManipulateState64.request(api), id));
    }

    void breakIn() throws IOException {
        send(KdBreakIn.INSTANCE);
    }

    /** @return the next frame the target sent, or fails after {@code timeout} */
    KdDecoded next(Duration timeout) throws InterruptedException {
        KdDecoded f = frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (f == null) {
            throw new AssertionError("no frame from the target within " + timeout);
        }
        return f;
    }

    /** @return the next data packet, skipping control packets */
    KdDataPacket nextData(Duration timeout) throws InterruptedException {
        while (true) {
            if (next(timeout) instanceof KdDataPacket d) {
                return d;
            }
        }
    }

    /** @return the next control packet of {@code type}, skipping everything else */
    KdControlPacket nextControl(int type, Duration timeout) throws InterruptedException {
        while (true) {
            if (next(timeout) instanceof KdControlPacket c && c.packetType() == type) {
                return c;
            }
        }
    }

    /** @return true if the target sent nothing for {@code quiet} */
    boolean silentFor(Duration quiet) throws InterruptedException {
        return frames.poll(quiet.toNanos(), TimeUnit.NANOSECONDS) == null;
    }

    @Override
    public void close() throws IOException {
        line.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
