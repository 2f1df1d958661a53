package dev.debugport.kd.transport;

import java.io.IOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of an {@link InMemoryConnection}: an unbounded byte queue with a blocking read.
 * Writers never block; a reader blocks until bytes arrive, the pipe is closed, its time runs out or
 * {@link #interruptRead()} cuts the wait short.
 */
final class BytePipe {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private byte[] ring = new byte[4096];
    private int head;
    private int size;
    private boolean closed;
    private boolean readInterrupted;

    void write(byte[] src, int offset, int length) throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IOException("pipe closed");
            }
            ensureCapacity(size + length);
            for (int i = 0; i < length; i++) {
                ring[(head + size + i) % ring.length] = src[offset + i];
            }
            size += length;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param timeoutNanos how long to wait for bytes; {@code Long.MAX_VALUE} for no limit
     * @return bytes read, 0 if interrupted or the time ran out, or -1 once closed and drained
     */
    int read(byte[] dst, int offset, int length, long timeoutNanos) {
        if (length == 0) {
            return 0;
        }
        lock.lock();
        try {
            long left = timeoutNanos;
            while (size == 0 && !closed) {
                if (readInterrupted || left <= 0) {
                    readInterrupted = false;
                    return 0;
                }
                if (timeoutNanos == Long.MAX_VALUE) {
                    readable.awaitUninterruptibly();
                } else {
                    try {
                        left = readable.awaitNanos(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return 0;
                    }
                }
            }
            if (size == 0) {
                return -1;
            }
            int n = Math.min(length, size);
            for (int i = 0; i < n; i++) {
                dst[offset + i] = ring[(head + i) % ring.length];
            }
            head = (head + n) % ring.length;
            size -= n;
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Makes the read waiting now, or the next one, return 0. */
    void interruptRead() {
        lock.lock();
        try {
            readInterrupted = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private void ensureCapacity(int needed) {
        if (needed <= ring.length) {
            return;
        }
        byte[] bigger = new byte[Math.max(needed, ring.length * 2)];
        for (int i = 0; i < size; i++) {
            bigger[i] = ring[(head + i) % ring.length];
        }
        ring = bigger;
        head = 0;
    }
}
