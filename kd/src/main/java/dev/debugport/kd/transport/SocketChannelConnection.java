package dev.debugport.kd.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link KdConnection} over a connected {@link SocketChannel}; the same code serves TCP and UNIX-domain stream
 * sockets. Obtain one from {@link TcpTransport} or {@link UnixSocketTransport}.
 *
 * <p>{@code TCP_NODELAY} is set on TCP channels. The channel is non-blocking, with one selector for the reader and
 * one for the writer: a blocked read can then be cut short ({@link #interruptRead()}, the selector's wakeup) or time
 * out without closing the channel, which a blocking channel cannot do.
 */
public final class SocketChannelConnection implements KdConnection {

    /** A selection needs no action: the one channel is read or written after it. */
    private static final java.util.function.Consumer<SelectionKey> NO_ACTION = key -> { };

    private final SocketChannel channel;
    private final Selector readable;
    private final Selector writable;
    private final AtomicBoolean readInterrupted = new AtomicBoolean();
    private volatile boolean endOfStream;

    /**
     * @param channel a connected channel; it is switched to non-blocking mode and owned from now on
     */
    public SocketChannelConnection(SocketChannel channel) throws IOException {
        this.channel = Objects.requireNonNull(channel, "channel");
        if (!channel.isConnected()) {
            throw new IOException("channel is not connected");
        }
        if (channel.getRemoteAddress() instanceof InetSocketAddress) {
            // KD is stop-and-wait with small packets: Nagle's algorithm would only add latency.
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        channel.configureBlocking(false);
        this.readable = Selector.open();
        this.writable = Selector.open();
        channel.register(readable, SelectionKey.OP_READ);
        channel.register(writable, SelectionKey.OP_WRITE);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        return read(buffer, offset, length, 0, false);
    }

    @Override
    public int read(byte[] buffer, int offset, int length, long timeoutMillis) throws IOException {
        return read(buffer, offset, length, Math.max(1, timeoutMillis), true);
    }

    private int read(byte[] buffer, int offset, int length, long timeoutMillis, boolean timed) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        ByteBuffer into = ByteBuffer.wrap(buffer, offset, length);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            while (true) {
                long left = timed ? TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) : 0;
                if (timed && left <= 0) {
                    return 0;
                }
                // Wait first: a reader usually comes for bytes that are not there yet (the reply to what it just
                // sent), and an empty read before the wait costs more than the wait when bytes are there. Returns
                // at once when bytes are there, early on wakeup (interruptRead) or close.
                // The action form keeps no selected-key set to fill and clear: measurably cheaper per wait.
                int ready = readable.select(NO_ACTION, left); // 0: no timeout
                if (readInterrupted.getAndSet(false)) {
                    return 0;
                }
                if (ready == 0) {
                    continue;
                }
                int n = channel.read(into);
                if (n != 0) {
                    endOfStream |= n < 0;
                    return n;
                }
            }
        } catch (ClosedChannelException | ClosedSelectorException e) {
            return -1;
        }
    }

    @Override
    public void interruptRead() {
        readInterrupted.set(true);
        readable.wakeup();
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        writeFully(ByteBuffer.wrap(buffer, offset, length));
    }

    /** One gathering write (writev) for all the frames. */
    @Override
    public void write(List<byte[]> frames) throws IOException {
        ByteBuffer[] buffers = new ByteBuffer[frames.size()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.wrap(frames.get(i));
        }
        writeFully(buffers);
    }

    private void writeFully(ByteBuffer... buffers) throws IOException {
        long left = 0;
        for (ByteBuffer b : buffers) {
            left += b.remaining();
        }
        try {
            while (left > 0) {
                long n = channel.write(buffers);
                left -= n;
                if (n == 0) {
                    writable.select(NO_ACTION, 0); // the socket's send buffer is full: wait until the peer reads
                }
            }
        } catch (ClosedSelectorException e) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen() && !endOfStream;
    }

    /** Closes the channel and both selectors, which wakes a blocked read (it returns -1) and a blocked write. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            readable.close();
            writable.close();
        }
    }

    /** @return the channel's remote address, for messages */
    @Override
    public String toString() {
        try {
            return "SocketChannelConnection[" + channel.getRemoteAddress() + "]";
        } catch (IOException e) {
            return "SocketChannelConnection[closed]";
        }
    }
}
