package dev.debugport.kd.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A KD endpoint as the command line spells it:
 *
 * <pre>
 *  tcp:HOST:PORT     a TCP peer (connect to it, or listen on it: HOST is the address to bind)
 *  unix:PATH         a UNIX-domain stream socket
 *  listen:PORT       listen on 127.0.0.1:PORT for a peer that connects out (xen-kdd does)
 *  listen:HOST:PORT  the same on another local address
 * </pre>
 *
 * @param kind TCP, UNIX or LISTEN
 * @param host the host name or address (TCP, LISTEN), else null
 * @param port the port (TCP, LISTEN), else 0
 * @param path the socket path (UNIX), else null
 */
public record KdAddress(Kind kind, String host, int port, Path path) {

    /** The three spellings. */
    public enum Kind {
        /** {@code tcp:HOST:PORT}. */
        TCP,
        /** {@code unix:PATH}. */
        UNIX,
        /** {@code listen:[HOST:]PORT}. */
        LISTEN
    }

    /** Checks the fields. */
    public KdAddress {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.UNIX) {
            Objects.requireNonNull(path, "path");
        } else {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
    }

    /**
     * Parses {@code spec}.
     *
     * @throws IllegalArgumentException with a message fit for the user
     */
    public static KdAddress parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + spec + "' is not tcp:HOST:PORT, unix:PATH or listen:PORT");
        }
        String scheme = spec.substring(0, colon);
        String rest = spec.substring(colon + 1);
        switch (scheme) {
            case "unix" -> {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("unix: needs a socket path");
                }
                return new KdAddress(Kind.UNIX, null, 0, Path.of(rest));
            }
            case "tcp" -> {
                int last = rest.lastIndexOf(':');
                if (last <= 0) {
                    throw new IllegalArgumentException("tcp: needs HOST:PORT, e.g. tcp:127.0.0.1:50000");
                }
                return new KdAddress(Kind.TCP, stripBrackets(rest.substring(0, last)), port(rest.substring(last + 1)), null);
            }
            case "listen" -> {
                int last = rest.lastIndexOf(':');
                String host = last < 0 ? "127.0.0.1" : stripBrackets(rest.substring(0, last));
                return new KdAddress(Kind.LISTEN, host, port(last < 0 ? rest : rest.substring(last + 1)), null);
            }
            default -> throw new IllegalArgumentException("unknown transport '" + scheme + "' (use tcp:, unix: or listen:)");
        }
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(String text) {
        try {
            int p = Integer.parseInt(text);
            if (p < 0 || p > 0xFFFF) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a port number");
        }
    }

    /** @return the socket address of a TCP or LISTEN address */
    public InetSocketAddress socketAddress() throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    /** @return true if a TCP or LISTEN address is on the loopback interface (a UNIX socket always is local) */
    public boolean isLoopback() throws UnknownHostException {
        return kind == Kind.UNIX || InetAddress.getByName(host).isLoopbackAddress();
    }

    /**
     * Connects as a client (TCP, UNIX), or listens and accepts exactly one peer (LISTEN).
     *
     * @throws IOException if nothing listens there, the peer never came, ...
     */
    public KdConnection open() throws IOException {
        return switch (kind) {
            case TCP -> TcpTransport.connect(socketAddress());
            case UNIX -> UnixSocketTransport.connect(path);
            case LISTEN -> {
                try (KdAcceptor acceptor = TcpTransport.listen(socketAddress())) {
                    yield acceptor.accept();
                }
            }
        };
    }

    /** Listens here (TCP: on HOST:PORT; UNIX: at PATH; LISTEN: the same as TCP). */
    public KdAcceptor listen() throws IOException {
        return kind == Kind.UNIX ? UnixSocketTransport.listen(path) : TcpTransport.listen(socketAddress());
    }

    @Override
    public String toString() {
        return switch (kind) {
            case UNIX -> "unix:" + path;
            case TCP -> "tcp:" + host + ":" + port;
            case LISTEN -> "listen:" + host + ":" + port;
        };
    }
}
