package dev.debugport.kd.transport;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.Objects;

/**
 * A {@link KdAcceptor} over a bound {@link ServerSocketChannel} (TCP or UNIX-domain). Obtain one from
 * {@link TcpTransport#listen} or {@link UnixSocketTransport#listen}.
 */
final class ServerSocketChannelAcceptor implements KdAcceptor {

    private final ServerSocketChannel server;
    private final SocketAddress localAddress;

    ServerSocketChannelAcceptor(ServerSocketChannel server) throws IOException {
        this.server = Objects.requireNonNull(server, "server");
        this.localAddress = server.getLocalAddress();
        server.configureBlocking(true);
    }

    @Override
    public KdConnection accept() throws IOException {
        SocketChannel channel = server.accept();
        try {
            return new SocketChannelConnection(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void close() throws IOException {
        if (server.isOpen()) {
            server.close();
            if (localAddress instanceof UnixDomainSocketAddress unix) {
                Files.deleteIfExists(unix.getPath());
            }
        }
    }

    @Override
    public String toString() {
        return "KdAcceptor[" + localAddress + "]";
    }
}
