package dev.debugport.kd.transport;

import java.io.Closeable;
import java.io.IOException;

/**
 * A bidirectional byte stream between a KD target and a KD host: a serial line, a named pipe, a TCP or
 * UNIX-domain socket. It knows nothing about KD packets; framing is {@link dev.debugport.kd.codec}'s job.
 *
 * <h2>Thread contract</h2>
 * <ul>
 *   <li>At most one thread calls {@link #read} at a time, and at most one thread calls {@link #write}
 *       at a time; one read and one write may run concurrently.</li>
 *   <li>{@link #close()} may be called from any thread at any time, any number of times. It makes a
 *       blocked {@code read} return {@code -1} and a blocked or later {@code write} throw
 *       {@link IOException}.</li>
 *   <li>{@link #isOpen()} may be called from any thread.</li>
 * </ul>
 */
public interface KdConnection extends Closeable {

    /**
     * Reads at least one byte, blocking until some are available.
     *
     * @return the number of bytes read (at least 1 when {@code length > 0}), or -1 when the peer closed
     *         the stream or this connection was closed
     * @throws IOException on an I/O error other than closing
     */
    int read(byte[] buffer, int offset, int length) throws IOException;

    /**
     * Writes all {@code length} bytes, blocking until they were handed to the transport. A caller that
     * writes one frame per call gets one frame per call at the other end's transport layer (not
     * necessarily per read).
     *
     * @throws IOException if the connection is closed or the write fails
     */
    void write(byte[] buffer, int offset, int length) throws IOException;

    /** Writes all of {@code bytes}. */
    default void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    /** @return true until {@link #close()} was called or the stream ended */
    boolean isOpen();

    /** Closes the connection; idempotent. */
    @Override
    void close() throws IOException;
}
