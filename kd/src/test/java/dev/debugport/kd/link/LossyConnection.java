package dev.debugport.kd.link;

import dev.debugport.kd.transport.KdConnection;
import java.io.IOException;

/**
 * A {@link KdConnection} decorator for tests: every {@code write} call (one KD frame, as
 * {@link KdLinkEndpoint} writes them) passes through a {@link LossModel} that may drop it, deliver it
 * twice, or corrupt one byte. Reads pass through unchanged (the peer's wrapper spoils the other direction).
 */
final class LossyConnection implements KdConnection {

    private final KdConnection inner;
    private final LossModel model;

    LossyConnection(KdConnection inner, LossModel model) {
        this.inner = inner;
        this.model = model;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        return inner.read(buffer, offset, length);
    }

    @Override
    public int read(byte[] buffer, int offset, int length, long timeoutMillis) throws IOException {
        return inner.read(buffer, offset, length, timeoutMillis);
    }

    @Override
    public void interruptRead() {
        inner.interruptRead();
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        byte[] chunk = java.util.Arrays.copyOfRange(buffer, offset, offset + length);
        for (byte[] out : model.apply(chunk)) {
            inner.write(out, 0, out.length);
        }
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
