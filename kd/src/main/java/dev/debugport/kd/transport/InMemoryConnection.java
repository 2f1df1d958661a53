package dev.debugport.kd.transport;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One end of an in-memory, in-order, loss-free byte stream; {@link #pair()} makes two connected ends.
 * Writes never block (the pipes are unbounded). Closing either end closes both directions: the other
 * end reads what was already written, then -1, and its writes fail.
 */
public final class InMemoryConnection implements KdConnection {

    private final BytePipe in;
    private final BytePipe out;
    private final String name;

    private InMemoryConnection(BytePipe in, BytePipe out, String name) {
        this.in = in;
        this.out = out;
        this.name = name;
    }

    /** The two ends of one stream. */
    public record Pair(InMemoryConnection first, InMemoryConnection second) {
    }

    /** @return two connected ends */
    public static Pair pair() {
        BytePipe ab = new BytePipe();
        BytePipe ba = new BytePipe();
        return new Pair(new InMemoryConnection(ba, ab, "first"), new InMemoryConnection(ab, ba, "second"));
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        return in.read(buffer, offset, length, Long.MAX_VALUE);
    }

    @Override
    public int read(byte[] buffer, int offset, int length, long timeoutMillis) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        return in.read(buffer, offset, length, TimeUnit.MILLISECONDS.toNanos(Math.max(1, timeoutMillis)));
    }

    @Override
    public void interruptRead() {
        in.interruptRead();
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        out.write(buffer, offset, length);
    }

    @Override
    public boolean isOpen() {
        return !in.isClosed() && !out.isClosed();
    }

    @Override
    public void close() {
        in.close();
        out.close();
    }

    @Override
    public String toString() {
        return "InMemoryConnection[" + name + "]";
    }
}
