package dev.debugport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class StopPointsTest extends SimTestBase {
    @Test
    void unarmedPointsOnlyCount() {
        EProcess p = start(SimProgram.of("count", g -> {
            g.point("p");
            g.point("p");
        })).process();
        assertEquals(0, exitCodeOf(p));
        assertEquals(2, machine.stopPoints().hits("p"));
        assertEquals(0, machine.stopPoints().parkedCount("p"));
    }

    @Test
    void anArmedPointHoldsGuestsUntilReleasedAndReleaseDisarms() {
        machine.stopPoints().arm("gate");
        EProcess p = start(SimProgram.of("gate", g -> {
            g.waitForThread(g.createThread(w -> w.point("gate")));
            g.point("gate");
            g.point("after");
        })).process();
        assertTrue(machine.stopPoints().awaitReached("gate", TIMEOUT));
        assertEquals(SimThreadState.STOPPED, machine.threadState(p.threads().get(1)));
        assertFalse(machine.stopPoints().awaitReached("gate", 2, Duration.ofMillis(20)), "the main thread waits for the worker");
        machine.stopPoints().release("gate");
        assertFalse(machine.stopPoints().isArmed("gate"));
        assertEquals(0, exitCodeOf(p), "the main thread passed the disarmed point");
        assertEquals(1, machine.stopPoints().hits("after"));
    }

    @Test
    void signalsLetAGuestIdleAndAnnounce() {
        EProcess p = start(SimProgram.of("signals", g -> {
            g.signal("guest.ready");
            g.waitFor("host.go");
        })).process();
        assertTrue(machine.awaitSignal("guest.ready", TIMEOUT));
        awaitState(p.threads().getFirst(), SimThreadState.WAITING);
        assertFalse(p.hasExited());
        machine.signal("host.go");
        assertEquals(0, exitCodeOf(p));
        assertTrue(machine.isSignalled("host.go"));
        machine.resetSignal("host.go");
        assertFalse(machine.isSignalled("host.go"));
    }

    @Test
    void aNewThreadCanBeHeldBeforeItReportsItsCreation() {
        RecordingHooks hooks = installRecordingHooks();
        List<EThread> workers = new CopyOnWriteArrayList<>();
        machine.stopPoints().arm(SimMachine.THREAD_STARTUP_POINT, t -> t.process().threads().getFirst() != t);
        EProcess p = start(SimProgram.of("startup", g -> {
            workers.add(g.createThread(w -> { }));
            g.waitForThread(workers.getFirst());
        })).process();
        assertTrue(machine.stopPoints().awaitReached(SimMachine.THREAD_STARTUP_POINT, TIMEOUT));
        // The worker can reach the point before createThread returns to main, so take it from the thread list.
        EThread worker = p.threads().get(1);
        assertEquals(SimThreadState.STOPPED, machine.threadState(worker));
        assertFalse(hooks.createdThreads.contains(worker), "held before DbgkCreateThread");
        assertTrue(hooks.createdThreads.contains(p.threads().getFirst()), "the filter let the initial thread pass");
        machine.stopPoints().release(SimMachine.THREAD_STARTUP_POINT);
        assertEquals(0, exitCodeOf(p));
        assertTrue(hooks.createdThreads.contains(worker));
    }

    @Test
    void anExitingThreadIsHeldBeforeItsExitReportEvenWhenTerminated() {
        RecordingHooks hooks = installRecordingHooks();
        machine.stopPoints().arm(SimMachine.THREAD_EXIT_POINT);
        EProcess p = start(SimProgram.of("exiting", g -> g.exitThread(6))).process();
        assertTrue(machine.stopPoints().awaitReached(SimMachine.THREAD_EXIT_POINT, TIMEOUT));
        EThread t = p.threads().getFirst();
        machine.kernel().processes().terminateProcess(p, 0x66);
        assertEquals(SimThreadState.STOPPED, machine.threadState(t));
        assertTrue(hooks.log.stream().noneMatch(s -> s.startsWith("exit")));
        machine.stopPoints().release(SimMachine.THREAD_EXIT_POINT);
        assertEquals(0x66, exitCodeOf(p), "the termination came first, so its status wins");
        assertEquals(List.of("exitProcess " + t.tid() + " 66"), hooks.log.stream().filter(s -> s.startsWith("exit")).toList());
    }
}
