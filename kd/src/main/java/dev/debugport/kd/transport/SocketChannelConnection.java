package dev.debugport.kd.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A {@link KdConnection} over a connected, blocking {@link SocketChannel}; the same code serves TCP and
 * UNIX-domain stream sockets. Obtain one from {@link TcpTransport} or {@link UnixSocketTransport}.
 *
 * <p>{@code TCP_NODELAY} is set on TCP channels. A {@code SocketChannel} allows one concurrent reader and one concurrent writer, and closing it
 * wakes both, which is exactly the {@link KdConnection} thread contract.
 */
public final class SocketChannelConnection implements KdConnection {

    private final SocketChannel channel;
    private volatile boolean endOfStream;

    /**
     * @param channel a connected channel; it is switched to blocking mode and owned from now on
     */
    public SocketChannelConnection(SocketChannel channel) throws IOException {
        this.channel = Objects.requireNonNull(channel, "channel");
        if (!channel.isConnected()) {
            throw new IOException("channel is not connected");
        }
        channel.configureBlocking(true);
        if (channel.getRemoteAddress() instanceof InetSocketAddress) {
            // KD is stop-and-wait with small packets: Nagle's algorithm would only add latency.
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        try {
            int n = channel.read(ByteBuffer.wrap(buffer, offset, length));
            if (n < 0) {
                endOfStream = true;
            }
            return n;
        } catch (ClosedChannelException e) {
            return -1;
        }
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        ByteBuffer bb = ByteBuffer.wrap(buffer, offset, length);
        while (bb.hasRemaining()) {
            channel.write(bb);
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen() && !endOfStream;
    }

    @Override
    public void close() throws IOException {
        channel.close();
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
