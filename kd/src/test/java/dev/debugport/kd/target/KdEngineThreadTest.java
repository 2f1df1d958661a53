package dev.debugport.kd.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine thread on its own: where tasks run, and what a task gets when it fails or the engine closes. */
@Timeout(30)
class KdEngineThreadTest {
    private final KdEngineThread engine = new KdEngineThread();

    @AfterEach
    void tearDown() {
        engine.close();
        engine.stop();
    }

    @Test
    void tasksRunOnTheEngineThreadInOrder() throws Exception {
        StringBuilder order = new StringBuilder();
        CompletableFuture<String> first = engine.submit(() -> {
            order.append('a');
            return Thread.currentThread().getName();
        }, "fallback");
        CompletableFuture<Integer> second = engine.submit(() -> {
            order.append('b');
            return 2;
        }, -1);
        assertEquals("kd-engine", first.get(10, TimeUnit.SECONDS));
        assertEquals(2, second.get(10, TimeUnit.SECONDS));
        assertEquals("ab", order.toString());
    }

    @Test
    void onEngineFromTheEngineThreadRunsInline() throws Exception {
        // A stay that starts another (a print that breaks in) must not wait for itself.
        CompletableFuture<Integer> outer = engine.submit(() -> engine.onEngine(() -> 7, -1) + 1, -1);
        assertEquals(8, outer.get(10, TimeUnit.SECONDS));
        assertEquals(3, engine.onEngine(() -> 3, -1));
    }

    @Test
    void aFailingTaskYieldsItsFallbackAndTheThreadGoesOn() throws Exception {
        CompletableFuture<String> failed = engine.submit(() -> {
            throw new IllegalStateException("task fails on purpose");
        }, "fallback");
        assertEquals("fallback", failed.get(10, TimeUnit.SECONDS));
        assertEquals("next", engine.submit(() -> "next", "fallback").get(10, TimeUnit.SECONDS));
    }

    @Test
    void closingEndsTheRunningTaskAndAnswersEveryOtherWithItsFallback() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<String> blocked = engine.submit(() -> {
            running.countDown();
            new CountDownLatch(1).await(); // a stay waiting for a host that never answers
            return "answered";
        }, "ended");
        CompletableFuture<String> queued = engine.submit(() -> "ran", "abandoned");
        assertTrue(running.await(10, TimeUnit.SECONDS));

        engine.close();
        assertEquals("refused", engine.submit(() -> "ran", "refused").get(10, TimeUnit.SECONDS));
        engine.stop();

        assertEquals("ended", blocked.get(10, TimeUnit.SECONDS));
        assertEquals("abandoned", queued.get(10, TimeUnit.SECONDS));
        assertTrue(engine.isClosed());
    }
}
