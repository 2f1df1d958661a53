package dev.debugport.linux.platform;

import dev.debugport.linux.tracer.Tracer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Hands work to the tracer thread for the rest of the platform: every ptrace call and every change to the platform's
 * state is made there, so a caller on another thread queues its work and, when it needs an answer, waits for it.
 */
final class TracerCalls {
    private static final System.Logger LOG = System.getLogger(LinuxPlatform.class.getName());
    /** How long a caller waits for the tracer to answer (it only waits for ptrace work, never for a debugger). */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Tracer tracer;

    TracerCalls(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Runs {@code r} on the tracer thread: at once when already there, else queued (the caller does not wait). */
    void run(Runnable r) {
        if (tracer.isTracerThread()) {
            r.run();
        } else {
            tracer.submit(p -> {
                r.run();
                return null;
            });
        }
    }

    /** Runs {@code s} on the tracer thread and waits for its value ({@code onFailure} if it fails or the tracer is gone). */
    <T> T call(Supplier<T> s, T onFailure) {
        if (tracer.isTracerThread()) {
            return s.get();
        }
        return await(tracer.submit(p -> s.get()), onFailure);
    }

    /** Starts {@code s} on the tracer thread; the future completes when the future {@code s} returns does. */
    <T> CompletableFuture<T> callAsync(Supplier<CompletableFuture<T>> s) {
        if (tracer.isTracerThread()) {
            try {
                return s.get();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return tracer.submit(p -> s.get()).thenCompose(f -> f);
    }

    <T> T await(CompletableFuture<T> f, T onFailure) {
        if (tracer.isTracerThread() && !f.isDone()) {
            LOG.log(System.Logger.Level.WARNING, "a tracer-thread caller cannot wait for the tracer", new IllegalStateException());
            return onFailure;
        }
        try {
            T v = f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return v == null ? onFailure : v;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return onFailure;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "tracer call failed", e);
            return onFailure;
        }
    }
}
