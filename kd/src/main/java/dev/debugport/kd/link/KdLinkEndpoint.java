package dev.debugport.kd.link;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdDataPacket;
import dev.debugport.kd.codec.KdFrame;
import dev.debugport.kd.codec.KdFrameDecoder;
import dev.debugport.kd.codec.KdFrameEncoder;
import dev.debugport.kd.transport.KdConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs a {@link KdLinkState} over a {@link KdConnection}: the only place in this package with threads.
 *
 * <pre>
 *   connection --read--&gt; [reader thread, or a pulling thread] --bytes--&gt; KdFrameDecoder --frames--&gt; KdLinkState
 *                                                                                                |        |
 *   connection &lt;--write-- [the thread that made the frame] &lt;--encoded frames--------------------+        +--&gt; packets,
 *                          [ticker thread]: the link's clock, the inter-byte timeout              events, send futures
 * </pre>
 *
 * <p>Two platform daemon threads per endpoint. The reader feeds bytes to the decoder and the link, except while
 * another thread {@linkplain #pull pulls} (reads for itself while it waits for a reply); the
 * ticker ticks the link every few milliseconds and abandons a partial frame after
 * {@link KdLinkConfig#interByteTimeoutMillis()} of silence. All access to the decoder and the link happens under one
 * lock, so the public methods may be called from any thread. Frames are written by the thread whose call produced
 * them (a sender's data packet, the reader's ACK or RESEND, the ticker's retransmission), in the order the link
 * produced them, the frames queued at that moment in one {@link KdConnection#write(List)}, after the lock is
 * released: no thread hand-off on the way out, and nothing blocks under that lock. A pulling thread's ACKs wait for
 * its next send.
 *
 * <p>Delivered packets go to {@link #receive(Duration)}; other events to {@link #pollEvent(Duration)}
 * (a bounded queue of {@value #EVENT_CAPACITY}; the oldest unread events are dropped beyond that).
 */
public final class KdLinkEndpoint implements AutoCloseable {

    /** Capacity of the event queue. */
    public static final int EVENT_CAPACITY = 10_000;
    /**
     * How long the reader thread leaves the connection to the pulling threads after the last pull: long enough that
     * a run of requests keeps it, short enough that unasked input (a retransmission, a break-in byte) is read soon.
     */
    static final long READER_RETURN_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How long a pulling thread waits for the baton before it looks at its condition again. */
    private static final long BATON_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final KdConnection connection;
    private final KdLinkState link;
    private final KdFrameDecoder decoder;
    private final String name;
    private final long tickMillis;

    private final Object lock = new Object();
    /** Encoded frames in link order, written by {@link #writePending()}. */
    private final BlockingQueue<byte[]> writeQueue = new LinkedBlockingQueue<>();
    /** Held while a thread writes frames of {@link #writeQueue}, so that they go out whole and in order. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Held by the one thread that reads the connection: the reader thread, or a thread in {@link #pull}. */
    private final ReentrantLock readBaton = new ReentrantLock();
    /** The read buffer of the baton's holder. */
    private final byte[] readBuffer = new byte[8192];
    /** Threads in {@link #pull} now. */
    private final AtomicInteger pullers = new AtomicInteger();
    /** When the last {@link #pull} ended ({@link System#nanoTime()}). */
    private volatile long lastPullNanos = System.nanoTime() - READER_RETURN_NANOS;
    private final BlockingQueue<KdDataPacket> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<KdLinkEvent> events = new LinkedBlockingQueue<>(EVENT_CAPACITY);
    private final Map<Long, CompletableFuture<KdLinkEvent>> pendingSends = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();

    private final Thread reader;
    private final Thread ticker;
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
        this.ticker = Thread.ofPlatform().daemon().name("kd-" + name + "-ticker").unstarted(this::tickLoop);
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
     * or {@link KdLinkEvent.SendFailed}. The listener runs under the endpoint's lock on the reader or ticker
     * thread: it must return quickly and must not call back into the endpoint.
     */
    public static KdLinkEndpoint start(KdConnection connection, KdLinkState link, KdFrameDecoder decoder, String name,
                                       KdLinkListener listener) {
        KdLinkEndpoint endpoint = new KdLinkEndpoint(connection, link, decoder, name, listener);
        endpoint.lastByteMillis = now();
        endpoint.reader.start();
        endpoint.ticker.start();
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
        writePendingOrShutDown();
        return future;
    }

    /** Sends the break-in byte. */
    public void sendBreakIn() {
        synchronized (lock) {
            link.sendBreakIn();
            flushLocked();
        }
        writePendingOrShutDown();
    }

    /** Starts a host's reset handshake ({@link KdLinkState#startReset(long)}). */
    public void startReset() {
        synchronized (lock) {
            link.startReset(now());
            flushLocked();
        }
        writePendingOrShutDown();
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
        writePendingOrShutDown();
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
        if (Thread.currentThread() != reader && Thread.currentThread() != ticker) {
            joinQuietly(reader);
            joinQuietly(ticker);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Waits up to {@code timeout} for {@code ready} to yield a value (it is asked again after every batch of input),
     * reading the connection on the calling thread meanwhile. What it reads goes where the reader thread would put
     * it (the link, the listener, the queues, the ACK written back at once), so the reply a thread waits for reaches
     * it without a hand-off from the reader thread: this is the request/reply path of both ends. The reader thread
     * gives way while a thread pulls ({@link KdConnection#interruptRead()}) and reads again once no thread has pulled
     * for {@link #READER_RETURN_NANOS}.
     *
     * @return the value, or null on timeout or once the endpoint is closed
     */
    public <T> T pull(Supplier<T> ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        pullers.incrementAndGet();
        try {
            while (true) {
                T value = ready.get();
                long left = deadline - System.nanoTime();
                if (value != null || closed || left <= 0) {
                    return value;
                }
                if (!readBaton.tryLock()) {
                    connection.interruptRead(); // the reader thread is blocked in read: it lets go of the baton
                    try {
                        if (!readBaton.tryLock(Math.min(left, BATON_WAIT_NANOS), TimeUnit.NANOSECONDS)) {
                            continue;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return ready.get();
                    }
                }
                try {
                    value = ready.get(); // it may have come in while the baton changed hands
                    if (value != null) {
                        return value;
                    }
                    readOnce(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)), false);
                } finally {
                    readBaton.unlock();
                }
            }
        } catch (IOException | RuntimeException e) {
            shutDown(e);
            return ready.get();
        } finally {
            lastPullNanos = System.nanoTime();
            pullers.decrementAndGet();
        }
    }

    /**
     * The reader thread: reads whenever no thread pulls, and parks while one does (waking every
     * {@link #READER_RETURN_NANOS} to see whether the pulls are over).
     */
    private void readLoop() {
        try {
            while (!closed) {
                long quiet = System.nanoTime() - lastPullNanos;
                if (pullers.get() > 0) {
                    LockSupport.parkNanos(this, READER_RETURN_NANOS);
                    continue;
                }
                if (quiet < READER_RETURN_NANOS) {
                    LockSupport.parkNanos(this, READER_RETURN_NANOS - quiet);
                    continue;
                }
                if (!readBaton.tryLock()) {
                    continue;
                }
                try {
                    while (!closed && pullers.get() == 0) {
                        readOnce(0, true);
                    }
                } finally {
                    readBaton.unlock();
                }
            }
        } catch (IOException | RuntimeException e) {
            shutDown(e);
        }
    }

    /**
     * Reads what arrived (baton holder only) and feeds it to the decoder and the link. An end of stream closes the
     * endpoint.
     *
     * @param timeoutMillis how long to wait for bytes, or 0 to wait until bytes arrive or a pull interrupts
     * @param writeNow write the frames the input caused (ACKs) at once: the reader thread does; a pulling thread
     *     leaves them queued, so that its next send carries them in the same write (the peer then wakes once for the
     *     ACK and the reply, or the ACK and the next request); the ticker writes what no send took within a tick
     */
    private void readOnce(long timeoutMillis, boolean writeNow) throws IOException {
        int n = timeoutMillis == 0 ? connection.read(readBuffer, 0, readBuffer.length)
                : connection.read(readBuffer, 0, readBuffer.length, timeoutMillis);
        if (n < 0) {
            shutDown(null);
            return;
        }
        if (n == 0) {
            return;
        }
        synchronized (lock) {
            long now = now();
            lastByteMillis = now;
            decoder.decode(readBuffer, 0, n, decoded -> link.receive(decoded, now));
            flushLocked();
        }
        if (writeNow) {
            writePending();
        }
    }

    /** Writes the frames a pulling thread left queued ({@link #pull}), for a thread that will send nothing soon. */
    public void flush() {
        writePendingOrShutDown();
    }

    private void tickLoop() {
        try {
            while (!closed) {
                Thread.sleep(tickMillis);
                tickLocked(now());
                writePending();
            }
        } catch (IOException | RuntimeException e) {
            shutDown(e);
        } catch (InterruptedException e) {
            shutDown(e);
        }
    }

    /**
     * Writes the queued frames on the calling thread, all that are queued at once ({@link KdConnection#write(List)}:
     * one system call on a socket). If another thread is writing, it writes ours too: it looks at the queue again
     * after letting go of the write lock, so a frame queued meanwhile is never left behind.
     */
    private void writePending() throws IOException {
        while (!closed && !writeQueue.isEmpty() && writeLock.tryLock()) {
            try {
                List<byte[]> frames = new ArrayList<>(2);
                while (!closed && writeQueue.drainTo(frames) > 0) {
                    connection.write(frames);
                    frames.clear();
                }
            } finally {
                writeLock.unlock();
            }
        }
    }

    /** {@link #writePending()} for the public methods: a failed write closes the endpoint (pending sends fail). */
    private void writePendingOrShutDown() {
        try {
            writePending();
        } catch (IOException | RuntimeException e) {
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
