package dev.debugport.kd.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * KD over TCP: {@link #connect} (e.g. to a target that listens, or to a host such as the Java host that
 * xen-kdd connects to) and {@link #listen} (loopback unless an address is given). {@code TCP_NODELAY} is
 * set on every connection: KD is a stop-and-wait protocol of small packets, where Nagle's algorithm only
 * adds latency.
 */
public final class TcpTransport {

    private TcpTransport() {
    }

    /** Connects to {@code address}. */
    public static KdConnection connect(InetSocketAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.connect(address);
            return new SocketChannelConnection(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Connects to {@code port} on the loopback interface. */
    public static KdConnection connect(int port) throws IOException {
        return connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /**
     * Listens on the loopback interface.
     *
     * @param port the port, or 0 for an ephemeral one ({@link KdAcceptor#localAddress()} tells which)
     */
    public static KdAcceptor listen(int port) throws IOException {
        return listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** Listens on {@code bindAddress} (pass a wildcard address explicitly to accept remote peers). */
    public static KdAcceptor listen(InetSocketAddress bindAddress) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(bindAddress);
            return new ServerSocketChannelAcceptor(server);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }
}
