package dev.debugport.kd.transport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * KD over a UNIX-domain stream socket ({@link UnixDomainSocketAddress} with {@link SocketChannel}), the
 * transport radare2 uses for {@code winkd:///path/to/socket} and the one a VM's serial port is usually
 * exposed as.
 */
public final class UnixSocketTransport {

    private UnixSocketTransport() {
    }

    /** Connects to the socket at {@code path}. */
    public static KdConnection connect(Path path) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(path));
            return new SocketChannelConnection(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Listens at {@code path}, which must not exist yet; {@link KdAcceptor#close()} deletes it again.
     */
    public static KdAcceptor listen(Path path) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            return new ServerSocketChannelAcceptor(server);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }
}
