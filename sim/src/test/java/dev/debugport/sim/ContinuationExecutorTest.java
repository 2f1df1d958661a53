package dev.debugport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ContinuationExecutorTest extends SimTestBase {
    @Test
    void tasksRunOnTheGuestThreadWhileItWaits() {
        CompletableFuture<String> trigger = new CompletableFuture<>();
        AtomicReference<Thread> guestJavaThread = new AtomicReference<>();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicReference<String> result = new AtomicReference<>();
        EProcess p = start(SimProgram.of("cont", g -> {
            guestJavaThread.set(Thread.currentThread());
            Executor executor = g.kernel().platform().continuationExecutor(g.thread());
            result.set(g.await(trigger.thenApplyAsync(s -> {
                ranOn.set(Thread.currentThread());
                return s + "!";
            }, executor)));
        })).process();
        EThread t = p.threads().getFirst();
        awaitState(t, SimThreadState.IN_KERNEL);
        trigger.complete("done"); // completed from the test thread
        assertEquals(0, exitCodeOf(p));
        assertEquals("done!", result.get());
        assertNotNull(ranOn.get());
        assertSame(guestJavaThread.get(), ranOn.get());
    }

    @Test
    void tasksPostedWhileTheGuestRunsRunAtItsNextSafePoint() {
        AtomicReference<Thread> guestJavaThread = new AtomicReference<>();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        machine.stopPoints().arm("posted");
        EProcess p = start(SimProgram.of("post", g -> {
            guestJavaThread.set(Thread.currentThread());
            g.point("posted");
            g.safePoint();
        })).process();
        assertTrue(machine.stopPoints().awaitReached("posted", TIMEOUT));
        machine.platform().continuationExecutor(p.threads().getFirst()).execute(() -> ranOn.set(Thread.currentThread()));
        machine.stopPoints().release("posted");
        assertEquals(0, exitCodeOf(p));
        assertSame(guestJavaThread.get(), ranOn.get());
    }

    @Test
    void hostThreadsAndExitedThreadsRunTasksInline() {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        machine.platform().continuationExecutor(host).execute(() -> ranOn.set(Thread.currentThread()));
        assertSame(Thread.currentThread(), ranOn.get());

        EProcess p = start(SimProgram.of("gone", g -> { })).process();
        exitCodeOf(p);
        EThread t = p.threads().getFirst();
        awaitState(t, SimThreadState.EXITED);
        ranOn.set(null);
        machine.platform().continuationExecutor(t).execute(() -> ranOn.set(Thread.currentThread()));
        assertSame(Thread.currentThread(), ranOn.get());
    }
}
