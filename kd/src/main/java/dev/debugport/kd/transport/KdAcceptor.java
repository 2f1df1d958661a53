package dev.debugport.kd.transport;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * A listening endpoint that hands out one {@link KdConnection} per peer that connects (a host waiting
 * for a target, as xen-kdd expects, or a target waiting for a host).
 *
 * <p>{@link #accept()} is called by one thread at a time; {@link #close()} may be called from any
 * thread and makes a blocked {@code accept} throw.
 */
public interface KdAcceptor extends Closeable {

    /**
     * Blocks until a peer connects.
     *
     * @throws IOException if closed or the accept fails
     */
    KdConnection accept() throws IOException;

    /** @return the bound address (with the actual port when port 0 was asked for) */
    SocketAddress localAddress();

    /** Stops listening; for a UNIX-domain socket also deletes the socket file. Idempotent. */
    @Override
    void close() throws IOException;
}
