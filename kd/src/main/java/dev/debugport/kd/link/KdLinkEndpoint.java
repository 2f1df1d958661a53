package dev.debugport.kd.link;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdDataPacket;
import dev.debugport.kd.codec.KdFrame;
import dev.debugport.kd.codec.KdFrameDecoder;
import dev.debugport.kd.codec.KdFrameEncoder;
import dev.debugport.kd.transport.KdConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link KdLinkState} over a {@link KdConnection}: the only place in this package with threads.
 *
 * <pre>
 *   connection --read--&gt; [reader thread] --bytes--&gt; KdFrameDecoder --frames--&gt; KdLinkState
 *                                                                              |        |
 *   connection &lt;--write-- [writer thread] &lt;--encoded frames------------------+        +--&gt; received packets,
 *                        (also ticks the link's clock and the inter-byte timeout)            events, send futures
 * </pre>
 *
 * <p>Two platform daemon threads per endpoint. The reader feeds bytes to the decoder and the link; the
 * writer writes frames one {@code write} call per frame, ticks the link every few milliseconds and
 * abandons a partial frame after {@link KdLinkConfig#interByteTimeoutMillis()} of silence. All access to
 * the decoder and the link happens under one lock, so the public methods may be called from any thread.
 * Nothing blocks under that lock: writes happen outside it.
 *
 * <p>Delivered packets go to {@link #receive(Duration)}; other events to {@link #pollEvent(Duration)}
 * (a bounded queue of {@value #EVENT_CAPACITY}; the oldest unread events are dropped beyond that).
 */
public final class KdLinkEndpoint implements AutoCloseable {

    /** Capacity of the event queue. */
    public static final int EVENT_CAPACITY = 10_000;

    private final KdConnection connection;
    private final KdLinkState link;
    private final KdFrameDecoder decoder;
    private final String name;
    private final long tickMillis;

    private final Object lock = new Object();
    private final BlockingQueue<byte[]> writeQueue = new LinkedBlockingQueue<>();
    private final BlockingQueue<KdDataPacket> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<KdLinkEvent> events = new LinkedBlockingQueue<>(EVENT_CAPACITY);
    private final Map<Long, CompletableFuture<KdLinkEvent>> pendingSends = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();

    private final Thread reader;
    private final Thread writer;
    private final KdLinkListener listener;
    private volatile boolean closed;
    private long lastByteMillis;

    private KdLinkEndpoint(KdConnection connection, KdLinkState link, KdFrameDecoder decoder, String name,
                           KdLinkListener listener) {
        this.listener = listener;
        this.connection = Objects.requireNonNull(connection, "connection");
        this.link = Objects.requireNonNull(link, "link");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.name = Objects.requireNonNull(name, "name");
        KdLinkConfig config = link.config();
        long shortest = Math.min(config.ackTimeoutMillis(),
                Math.min(config.interByteTimeoutMillis(), config.resetIntervalMillis()));
        this.tickMillis = Math.max(1, shortest / 5);
        this.reader = Thread.ofPlatform().daemon().name("kd-" + name + "-reader").unstarted(this::readLoop);
        this.writer = Thread.ofPlatform().daemon().name("kd-" + name + "-writer").unstarted(this::writeLoop);
    }

    /**
     * Starts an endpoint with a decoder of the protocol's size limit.
     *
     * @param connection the byte stream; owned (closed) by the endpoint from now on
     * @param link the state machine; owned by the endpoint from now on
     * @param name a label for thread names
     */
    public static KdLinkEndpoint start(KdConnection connection, KdLinkState link, String name) {
        return start(connection, link, new KdFrameDecoder(), name);
    }

    /** Starts an endpoint with the given decoder (e.g. one with a lower size limit). */
    public static KdLinkEndpoint start(KdConnection connection, KdLinkState link, KdFrameDecoder decoder, String name) {
        return start(connection, link, decoder, name, null);
    }

    /**
     * Starts an endpoint that hands every event, delivered packets included, to {@code listener} in the order the
     * link produced them, instead of queueing them for {@link #receive} and {@link #pollEvent} (which then stay
     * empty). Send futures are completed as usual, each before the listener sees its {@link KdLinkEvent.Acknowledged}
     * or {@link KdLinkEvent.SendFailed}. The listener runs under the endpoint's lock on the reader or writer
     * thread: it must return quickly and must not call back into the endpoint.
     */
    public static KdLinkEndpoint start(KdConnection connection, KdLinkState link, KdFrameDecoder decoder, String name,
                                       KdLinkListener listener) {
        KdLinkEndpoint endpoint = new KdLinkEndpoint(connection, link, decoder, name, listener);
        endpoint.lastByteMillis = now();
        endpoint.reader.start();
        endpoint.writer.start();
        return endpoint;
    }

    /**
     * Queues a data packet.
     *
     * @return a future completed with {@link KdLinkEvent.Acknowledged} or {@link KdLinkEvent.SendFailed},
     *         or exceptionally with an {@link IOException} if the endpoint closes first
     */
    public CompletableFuture<KdLinkEvent> send(int packetType, ByteString payload) {
        CompletableFuture<KdLinkEvent> future = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                future.completeExceptionally(new IOException("endpoint " + name + " is closed"));
                return future;
            }
            long ticket = link.submit(packetType, payload, now());
            pendingSends.put(ticket, future);
            flushLocked();
        }
        return future;
    }

    /** Sends the break-in byte. */
    public void sendBreakIn() {
        synchronized (lock) {
            link.sendBreakIn();
            flushLocked();
        }
    }

    /** Starts a host's reset handshake ({@link KdLinkState#startReset(long)}). */
    public void startReset() {
        synchronized (lock) {
            link.startReset(now());
            flushLocked();
        }
    }

    /**
     * @return the next delivered packet, or null if none arrived within {@code timeout}
     */
    public KdDataPacket receive(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * @return the next event other than a delivered packet, or null if none arrived within {@code timeout}
     */
    public KdLinkEvent pollEvent(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** @return {@link KdLinkState#isPeerPresent()} */
    public boolean isPeerPresent() {
        synchronized (lock) {
            return link.isPeerPresent();
        }
    }

    /** @return {@link KdLinkState#isResetting()} */
    public boolean isResetting() {
        synchronized (lock) {
            return link.isResetting();
        }
    }

    /**
     * Restarts the link as a rebooted target does ({@link KdLinkState#restart}): ids from {@code 0x80800800} again,
     * pending packets given up.
     */
    public void restartLink() {
        synchronized (lock) {
            link.restart(now());
            flushLocked();
        }
    }

    /** @return {@link KdLinkState#consumeBreakIn()} */
    public boolean consumeBreakIn() {
        synchronized (lock) {
            return link.consumeBreakIn();
        }
    }

    /** @return true until closed (by {@link #close()}, the peer, or an I/O error) */
    public boolean isOpen() {
        return !closed;
    }

    /** @return a future completed when the endpoint has closed */
    public CompletableFuture<Void> closedFuture() {
        return closedFuture;
    }

    /** Closes the connection and stops both threads; pending sends fail. Idempotent. */
    @Override
    public void close() {
        shutDown(null);
        if (Thread.currentThread() != reader && Thread.currentThread() != writer) {
            joinQuietly(reader);
            joinQuietly(writer);
        }
    }

    // ---------------------------------------------------------------------------------------------

    private void readLoop() {
        byte[] buffer = new byte[8192];
        try {
            while (!closed) {
                int n = connection.read(buffer, 0, buffer.length);
                if (n < 0) {
                    break;
                }
                synchronized (lock) {
                    long now = now();
                    lastByteMillis = now;
                    decoder.decode(buffer, 0, n, decoded -> link.receive(decoded, now));
                    flushLocked();
                }
            }
            shutDown(null);
        } catch (IOException | RuntimeException e) {
            shutDown(e);
        }
    }

    private void writeLoop() {
        long nextTick = now();
        try {
            while (!closed) {
                byte[] frame = writeQueue.poll(tickMillis, TimeUnit.MILLISECONDS);
                if (frame != null && !closed) {
                    connection.write(frame);
                }
                long now = now();
                if (now >= nextTick) {
                    tickLocked(now);
                    nextTick = now + tickMillis;
                }
            }
        } catch (IOException | RuntimeException e) {
            shutDown(e);
        } catch (InterruptedException e) {
            shutDown(e);
        }
    }

    private void tickLocked(long now) {
        synchronized (lock) {
            link.tick(now);
            if (decoder.hasPartialFrame() && now - lastByteMillis >= link.config().interByteTimeoutMillis()) {
                decoder.abandonPartialFrame(decoded -> link.receive(decoded, now));
            }
            flushLocked();
        }
    }

    /** Moves the link's outputs to the write queue, the packet queue, the event queue and the futures. */
    private void flushLocked() {
        for (KdFrame frame : link.drainOutbound()) {
            writeQueue.add(KdFrameEncoder.encode(frame));
        }
        for (KdLinkEvent event : link.drainEvents()) {
            if (listener != null) {
                if (event instanceof KdLinkEvent.Acknowledged ack) {
                    completeOnly(ack.ticket(), event);
                } else if (event instanceof KdLinkEvent.SendFailed failed) {
                    completeOnly(failed.ticket(), event);
                }
                listener.onEvent(event);
                continue;
            }
            switch (event) {
                case KdLinkEvent.PacketReceived packetReceived -> received.add(packetReceived.packet());
                case KdLinkEvent.Acknowledged ack -> complete(ack.ticket(), event);
                case KdLinkEvent.SendFailed failed -> complete(failed.ticket(), event);
                default -> offerEvent(event);
            }
        }
    }

    private void completeOnly(long ticket, KdLinkEvent event) {
        CompletableFuture<KdLinkEvent> future = pendingSends.remove(ticket);
        if (future != null) {
            future.complete(event);
        }
    }

    private void complete(long ticket, KdLinkEvent event) {
        CompletableFuture<KdLinkEvent> future = pendingSends.remove(ticket);
        if (future != null) {
            future.complete(event);
        }
        offerEvent(event);
    }

    private void offerEvent(KdLinkEvent event) {
        while (!events.offer(event)) {
            events.poll();
        }
    }

    private void shutDown(Throwable cause) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            connection.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        IOException failure = new IOException("endpoint " + name + " closed", cause);
        pendingSends.values().forEach(f -> f.completeExceptionally(failure));
        pendingSends.clear();
        if (cause == null) {
            closedFuture.complete(null);
        } else {
            closedFuture.completeExceptionally(cause);
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000L;
    }

    @Override
    public String toString() {
        return "KdLinkEndpoint[" + name + ", " + link.role() + "]";
    }
}
