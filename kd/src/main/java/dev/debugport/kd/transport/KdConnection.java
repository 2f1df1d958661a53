package dev.debugport.kd.transport;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

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
 *   <li>{@link #interruptRead()} may be called from any thread: it is how a thread that wants to read takes over
 *       from one blocked in {@code read} (KD's reply path reads on the waiting thread, see
 *       {@code KdLinkEndpoint.pull}).</li>
 *   <li>{@link #isOpen()} may be called from any thread.</li>
 * </ul>
 */
public interface KdConnection extends Closeable {

    /**
     * Reads at least one byte, blocking until some are available or {@link #interruptRead()} cuts the wait short.
     *
     * @return the number of bytes read (at least 1 when {@code length > 0} and not interrupted), 0 when
     *         interrupted, or -1 when the peer closed the stream or this connection was closed
     * @throws IOException on an I/O error other than closing
     */
    int read(byte[] buffer, int offset, int length) throws IOException;

    /**
     * {@link #read(byte[], int, int)} that also gives up after {@code timeoutMillis} (at least 1).
     *
     * @return as {@link #read(byte[], int, int)}; 0 when the time ran out too
     */
    int read(byte[] buffer, int offset, int length, long timeoutMillis) throws IOException;

    /**
     * Makes the {@code read} blocked now return 0 at once, or, if none is blocked, the next one: the reading
     * thread then knows that another thread wants to read.
     */
    void interruptRead();

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

    /**
     * Writes {@code frames} in order, each as if by {@link #write(byte[])} (so a wrapper that works frame by frame
     * sees them one by one); a transport may hand them over in one system call (a gathering write), so that the
     * peer wakes once for an ACK and the packet after it.
     */
    default void write(List<byte[]> frames) throws IOException {
        for (byte[] frame : frames) {
            write(frame);
        }
    }

    /** @return true until {@link #close()} was called or the stream ended */
    boolean isOpen();

    /** Closes the connection; idempotent. */
    @Override
    void close() throws IOException;
}
