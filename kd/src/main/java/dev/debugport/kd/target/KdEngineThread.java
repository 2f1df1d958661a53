package dev.debugport.kd.target;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The platform thread "kd-engine", on which every stay in the debugger runs ({@link KdEngine}, "Threads"): the trap of
 * a guest thread, a break-in noticed by the clock, a DbgPrint. Callers hand it a task and get a completion, so stays
 * never overlap, as no processor enters the debugger while KeFreezeExecution holds the others. A task the thread
 * never runs (it closed first) completes with the value the caller named for that case.
 */
final class KdEngineThread {
    private static final System.Logger LOG = System.getLogger("dev.debugport.kd");

    /** A unit of engine work with the value it yields if the engine closes first. */
    private record Task<T>(Callable<T> body, CompletableFuture<T> result, T fallback) {
        void run() {
            try {
                result.complete(body.call());
            } catch (InterruptedException e) {
                result.complete(fallback);
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, "kernel debugger task failed", t);
                result.complete(fallback);
            }
        }

        void abandon() {
            result.complete(fallback);
        }
    }

    private final BlockingQueue<Task<?>> tasks = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    /** Starts the thread. */
    KdEngineThread() {
        this.thread = Thread.ofPlatform().daemon().name("kd-engine").unstarted(this::loop);
        thread.start();
    }

    boolean isClosed() {
        return closed;
    }

    private void loop() {
        while (!closed) {
            Task<?> task;
            try {
                task = tasks.take();
            } catch (InterruptedException e) {
                break;
            }
            if (closed) {
                task.abandon();
                break;
            }
            task.run();
        }
        abandonQueued();
    }

    private void abandonQueued() {
        Task<?> left;
        while ((left = tasks.poll()) != null) {
            left.abandon();
        }
    }

    /** Queues {@code body} for the engine thread. */
    <T> CompletableFuture<T> submit(Callable<T> body, T fallback) {
        Task<T> task = new Task<>(body, new CompletableFuture<>(), fallback);
        if (closed) {
            task.abandon();
            return task.result();
        }
        tasks.add(task);
        if (closed && tasks.remove(task)) {
            task.abandon();
        }
        return task.result();
    }

    /** Runs {@code body} on the engine thread (inline when already there) and waits for it. */
    <T> T onEngine(Callable<T> body, T fallback) {
        if (Thread.currentThread() == thread) {
            Task<T> task = new Task<>(body, new CompletableFuture<>(), fallback);
            task.run();
            return task.result().join();
        }
        return submit(body, fallback).join();
    }

    /** Takes no more work: from now on {@link #submit} answers with the fallback and the loop ends at its next task. */
    void close() {
        closed = true;
    }

    /**
     * After {@link #close}: interrupts the thread (a stay in progress ends), waits for it, and completes what is still
     * queued with the fallbacks.
     */
    void stop() {
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        abandonQueued();
    }
}
