package dev.debugport.kd.target;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdDataPacket;
import dev.debugport.kd.link.KdLinkConfig;
import dev.debugport.kd.link.KdLinkEndpoint;
import dev.debugport.kd.link.KdLinkEvent;
import dev.debugport.kd.link.KdLinkRole;
import dev.debugport.kd.link.KdLinkState;
import dev.debugport.kd.transport.KdAcceptor;
import dev.debugport.kd.transport.KdConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The target's debug port: the transport (kdcom's serial line, here a socket or a pipe) and the link over it, one
 * host at a time. {@link #listen} accepts hosts one after the other, so a host that disconnects is replaced by the
 * next one that connects; {@link #attach} takes one connection.
 *
 * <p>Everything the link reports arrives on one queue in link order ({@link Input}), tagged with the connection's
 * generation, for the engine thread to consume ({@link #send}, {@link #take}). While it waits there, the engine
 * thread reads the connection itself ({@code KdLinkEndpoint.pull}): in the manipulate loop, with the machine
 * frozen, a request reaches the engine without a hand-off from the link's reader thread. The presence flag is kept here as the
 * events arrive, on the link's threads: the first packet leader clears KdDebuggerNotPresent at once, even while the
 * machine runs.
 */
final class KdTargetPort implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.debugport.kd");
    /** How long one wait for input lasts before the engine looks at the connection again. */
    private static final Duration INPUT_WAIT = Duration.ofMillis(100);

    /** What the link reported, in order. */
    sealed interface Input {
        long generation();
    }

    /** A new, intact data packet from the host (already ACKed). */
    record Packet(long generation, KdDataPacket packet) implements Input {
    }

    /** The packet in flight was acknowledged. */
    record Acked(long generation) implements Input {
    }

    /** The packet in flight was given up. */
    record Failed(long generation, KdLinkEvent.FailureReason reason) implements Input {
    }

    /** The host reset the link (KdReceivePacket's RESEND after a RESET). */
    record Reset(long generation) implements Input {
    }

    /** The connection is gone. */
    record Closed(long generation) implements Input {
    }

    /** How a send ended. */
    enum SendOutcome {
        /** The host acknowledged it. */
        ACKNOWLEDGED,
        /** The link gave it up (no ACK after the retries; a DEBUG_IO packet after one timeout). */
        NOT_ACKNOWLEDGED,
        /** There is no host connection, or it closed. */
        NO_CONNECTION
    }

    /** The result of {@link #send}: the outcome and whether the host reset the link meanwhile. */
    record SendResult(SendOutcome outcome, boolean resetSeen) {
    }

    /** One host connection; {@code lost} completes once its loss has been handled. */
    private record Connection(long generation, KdLinkEndpoint endpoint, CompletableFuture<Void> lost) {
    }

    private final KdLinkConfig linkConfig;
    private final KdFlags flags;
    private final Runnable onHostLost;
    private final LinkedBlockingQueue<Input> inputs = new LinkedBlockingQueue<>();
    /** Inputs {@link #send} read past while waiting for its acknowledgement (engine thread only). */
    private final ArrayDeque<Input> pushedBack = new ArrayDeque<>();
    private final AtomicLong generations = new AtomicLong();
    private volatile Connection current;
    private volatile KdAcceptor acceptor;
    private volatile boolean closed;
    private Thread listener;

    /**
     * @param onHostLost called (on a link or listener thread) when a connection closes; the engine then removes its
     *                   breakpoints
     */
    KdTargetPort(KdLinkConfig linkConfig, KdFlags flags, Runnable onHostLost) {
        this.linkConfig = linkConfig;
        this.flags = flags;
        this.onHostLost = onHostLost;
    }

    /**
     * Attaches one host connection (kdcom's port opening).
     *
     * @throws IllegalStateException if a host is attached already
     */
    synchronized void attach(KdConnection connection) {
        Connection c = current;
        if (closed) {
            throw new IllegalStateException("the debug port is closed");
        }
        if (c != null && c.endpoint().isOpen()) {
            throw new IllegalStateException("a host is already attached");
        }
        long generation = generations.incrementAndGet();
        KdLinkEndpoint endpoint = KdLinkEndpoint.start(connection, new KdLinkState(KdLinkRole.TARGET, linkConfig),
                new dev.debugport.kd.codec.KdFrameDecoder(), "target", event -> onEvent(generation, event));
        Connection connected = new Connection(generation, endpoint, new CompletableFuture<>());
        current = connected;
        endpoint.closedFuture().handle((ok, error) -> {
            onClosed(connected);
            return null;
        });
    }

    /** Accepts hosts one at a time on {@code acceptor} until {@link #close()}, on a daemon thread. */
    synchronized void listen(KdAcceptor newAcceptor) {
        if (listener != null) {
            throw new IllegalStateException("already listening");
        }
        this.acceptor = newAcceptor;
        listener = Thread.ofPlatform().daemon().name("kd-listen " + newAcceptor.localAddress()).start(() -> acceptLoop(newAcceptor));
    }

    private void acceptLoop(KdAcceptor a) {
        while (!closed) {
            KdConnection connection;
            try {
                connection = a.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "KD port: accept failed; no longer listening", e);
                }
                return;
            }
            try {
                attach(connection);
            } catch (IllegalStateException e) {
                closeQuietly(connection);
                return;
            }
            Connection c = current;
            try {
                c.lost().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                // not completed exceptionally: onClosed always completes it normally
            }
        }
    }

    private void onEvent(long generation, KdLinkEvent event) {
        switch (event) {
            case KdLinkEvent.PacketReceived r -> inputs.add(new Packet(generation, r.packet()));
            case KdLinkEvent.Acknowledged a -> inputs.add(new Acked(generation));
            case KdLinkEvent.SendFailed f -> inputs.add(new Failed(generation, f.reason()));
            case KdLinkEvent.ResetReceived r -> inputs.add(new Reset(generation));
            case KdLinkEvent.PeerPresenceChanged p -> {
                // The latest connection only (its first events may come before attach has published it).
                if (generations.get() == generation) {
                    flags.setNotPresent(!p.present());
                }
            }
            default -> {
                // break-in bytes stay in the link (consumeBreakIn); frame errors and retransmissions need nothing
            }
        }
    }

    private void onClosed(Connection lost) {
        try {
            inputs.add(new Closed(lost.generation()));
            markHostLost(lost.generation());
            onHostLost.run();
        } finally {
            lost.lost().complete(null);
        }
    }

    /**
     * Sets KdDebuggerNotPresent for the loss of connection {@code generation}, unless a newer connection has already
     * taken its place (checked and set under the port's lock, which {@link #attach} also holds).
     */
    synchronized void markHostLost(long generation) {
        if (generations.get() == generation) {
            flags.setNotPresent(true);
        }
    }

    /** @return true while a host connection is open */
    boolean isConnected() {
        Connection c = current;
        return c != null && c.endpoint().isOpen();
    }

    /** @return the generation of the current connection (0 before the first) */
    long generation() {
        Connection c = current;
        return c == null ? 0 : c.generation();
    }

    /** KdPollBreakIn's receive: consumes a break-in byte that arrived (KdpControlCPending). */
    boolean consumeBreakIn() {
        Connection c = current;
        return c != null && c.endpoint().isOpen() && c.endpoint().consumeBreakIn();
    }

    /** A rebooted target: link ids start over from the boot id. */
    void restartLink() {
        Connection c = current;
        if (c != null && c.endpoint().isOpen()) {
            c.endpoint().restartLink();
        }
    }

    /** Forgets inputs left over from before (called when a new stay in the debugger starts). Engine thread. */
    void drainStale() {
        pushedBack.clear();
        inputs.clear();
    }

    /**
     * Implements KdSendPacket: sends one data packet and waits until it is acknowledged or given up (the link's
     * retries), or the connection closes. Packets and resets that arrive meanwhile are kept for {@link #take}.
     * Engine thread.
     */
    SendResult send(int packetType, ByteString payload) throws InterruptedException {
        Connection c = current;
        if (c == null || !c.endpoint().isOpen()) {
            return new SendResult(SendOutcome.NO_CONNECTION, false);
        }
        CompletableFuture<KdLinkEvent> sent = c.endpoint().send(packetType, payload);
        if (sent.isCompletedExceptionally()) {
            return new SendResult(SendOutcome.NO_CONNECTION, false);
        }
        boolean resetSeen = false;
        ArrayDeque<Input> kept = new ArrayDeque<>();
        try {
            while (true) {
                Input in = c.endpoint().pull(inputs::poll, INPUT_WAIT);
                if (in == null) {
                    if (!c.endpoint().isOpen() && sent.isDone()) {
                        KdLinkEvent outcome = sent.isCompletedExceptionally() ? null : sent.join();
                        return new SendResult(outcome instanceof KdLinkEvent.Acknowledged ? SendOutcome.ACKNOWLEDGED
                                : SendOutcome.NO_CONNECTION, resetSeen);
                    }
                    continue;
                }
                if (in.generation() != c.generation()) {
                    continue;
                }
                switch (in) {
                    case Acked a -> {
                        return new SendResult(SendOutcome.ACKNOWLEDGED, resetSeen);
                    }
                    case Failed f -> {
                        return new SendResult(SendOutcome.NOT_ACKNOWLEDGED, resetSeen);
                    }
                    case Closed cl -> {
                        kept.add(cl);
                        return new SendResult(SendOutcome.NO_CONNECTION, resetSeen);
                    }
                    case Reset r -> resetSeen = true;
                    case Packet p -> kept.add(p);
                }
            }
        } finally {
            pushedBack.addAll(kept);
        }
    }

    /**
     * Implements KdReceivePacket's wait: the next input of the connection with {@code generation} (blocks; a closed
     * connection yields its {@link Closed}). Engine thread.
     */
    Input take(long generation) throws InterruptedException {
        while (true) {
            Input in = pushedBack.poll();
            if (in == null) {
                Connection c = current;
                in = c != null && c.generation() == generation ? c.endpoint().pull(inputs::poll, INPUT_WAIT)
                        : inputs.poll(INPUT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (in == null) {
                Connection c = current;
                if (c == null || c.generation() != generation || !c.endpoint().isOpen()) {
                    return new Closed(generation); // its Closed input was drained or is about to come
                }
                continue;
            }
            if (in.generation() == generation) {
                return in;
            }
            // Another connection's input: stale, dropped.
        }
    }

    /** Writes the ACKs the engine's reads left for its next send ({@code KdLinkEndpoint.flush}). */
    void flush() {
        Connection c = current;
        if (c != null) {
            c.endpoint().flush();
        }
    }

    /** Closes the current connection (the host sees the line drop); listening goes on. */
    void disconnect() {
        Connection c = current;
        if (c != null) {
            c.endpoint().close();
        }
    }

    @Override
    public void close() {
        closed = true;
        KdAcceptor a = acceptor;
        if (a != null) {
            try {
                a.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        disconnect();
        Thread t;
        synchronized (this) {
            t = listener;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(KdConnection connection) {
        try {
            connection.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
