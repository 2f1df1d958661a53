package dev.debugport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessManager;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RunStateTest extends SimTestBase {
    @Test
    void aSuspendedGuestStopsAtItsNextCallAndGoesOnWhenResumed() {
        machine.stopPoints().arm("a");
        EThread t = start(SimProgram.of("suspend", g -> {
            g.point("a");
            g.point("b");
            g.waitFor("never");
        })).initialThread();
        assertTrue(machine.stopPoints().awaitReached("a", TIMEOUT));
        assertEquals(0, machine.kernel().processes().suspendThread(t).value());
        machine.stopPoints().release("a");
        awaitState(t, SimThreadState.PARKED);
        assertEquals(0, machine.stopPoints().hits("b"), "parked at the safe point before reaching b");
        assertEquals(1, machine.kernel().processes().resumeThread(t));
        assertTrue(machine.stopPoints().awaitHits("b", 1, TIMEOUT));
    }

    @Test
    void suspendCountsNest() {
        machine.stopPoints().arm("a");
        EThread t = start(SimProgram.of("nest", g -> {
            g.point("a");
            g.point("b");
        })).initialThread();
        assertTrue(machine.stopPoints().awaitReached("a", TIMEOUT));
        machine.kernel().processes().suspendThread(t);
        machine.kernel().processes().suspendThread(t);
        machine.stopPoints().release("a");
        awaitState(t, SimThreadState.PARKED);
        assertEquals(2, machine.kernel().processes().resumeThread(t));
        awaitState(t, SimThreadState.PARKED);
        assertEquals(0, machine.stopPoints().hits("b"));
        assertEquals(1, machine.kernel().processes().resumeThread(t));
        assertEquals(0, exitCodeOf(t));
    }

    @Test
    void aFrozenProcessRunsNoThreadUntilThawed() {
        machine.stopPoints().arm("x");
        EProcess p = start(SimProgram.of("freeze", g -> {
            EThread w = g.createThread(w2 -> {
                w2.point("x");
                w2.point("y");
            });
            g.point("x");
            g.point("y");
            g.waitForThread(w);
        })).process();
        assertTrue(machine.stopPoints().awaitReached("x", 2, TIMEOUT));
        machine.kernel().processes().freezeProcess(p);
        machine.stopPoints().release("x");
        for (EThread t : p.threads()) {
            awaitState(t, SimThreadState.PARKED);
        }
        assertEquals(0, machine.stopPoints().hits("y"));
        machine.kernel().processes().thawProcess(p);
        assertTrue(machine.stopPoints().awaitHits("y", 2, TIMEOUT));
        assertEquals(0, exitCodeOf(p));
    }

    @Test
    void terminationUnwindsAGuestParkedAtASafePoint() {
        machine.stopPoints().arm("a");
        ProcessManager.CreatedProcess p = start(SimProgram.of("killparked", g -> {
            g.point("a");
            g.point("b");
        }));
        EThread t = p.initialThread();
        assertTrue(machine.stopPoints().awaitReached("a", TIMEOUT));
        machine.kernel().processes().suspendThread(t);
        machine.stopPoints().release("a");
        awaitState(t, SimThreadState.PARKED);
        machine.kernel().processes().terminateThread(t, 0x77);
        assertEquals(0x77, exitCodeOf(p.process()));
        assertEquals(0, machine.stopPoints().hits("b"));
    }

    @Test
    void terminationEndsAGuestWaitAndAStopPoint() {
        machine.stopPoints().arm("held");
        List<EThread> threads = new CopyOnWriteArrayList<>();
        EProcess p = start(SimProgram.of("killwaiting", g -> {
            threads.add(g.createThread(w -> w.point("held")));
            g.waitFor("never");
        })).process();
        assertTrue(machine.stopPoints().awaitReached("held", TIMEOUT));
        awaitState(p.threads().getFirst(), SimThreadState.WAITING);
        awaitState(threads.getFirst(), SimThreadState.STOPPED);
        machine.kernel().processes().terminateProcess(p, 0x99);
        assertEquals(0x99, exitCodeOf(p));
        assertEquals(0x99, threads.getFirst().exitStatus());
        assertEquals(0, machine.stopPoints().parkedCount("held"));
    }

    @Test
    void aThreadCreatedSuspendedDoesNotStartOrReportUntilResumed() {
        RecordingHooks hooks = installRecordingHooks();
        List<EThread> created = new CopyOnWriteArrayList<>();
        EProcess p = start(SimProgram.of("suspended", g -> {
            created.add(g.createThread(w -> w.point("worker.ran"), true, false));
            g.waitFor("never");
        })).process();
        awaitState(p.threads().getFirst(), SimThreadState.WAITING);
        EThread worker = created.getFirst();
        awaitState(worker, SimThreadState.PARKED);
        assertFalse(hooks.createdThreads.contains(worker), "DbgkCreateThread runs when the thread first runs");
        assertEquals(0, machine.stopPoints().hits("worker.ran"));
        machine.kernel().processes().resumeThread(worker);
        assertEquals(0, exitCodeOf(worker));
        assertEquals(1, machine.stopPoints().hits("worker.ran"));
        assertTrue(hooks.createdThreads.contains(worker));
    }

    @Test
    void aProcessCreatedSuspendedRunsNothingUntilItsThreadIsResumed() {
        RecordingHooks hooks = installRecordingHooks();
        ProcessManager.CreatedProcess p = start(SimProgram.of("cs", g -> g.point("main.ran")), true);
        awaitState(p.initialThread(), SimThreadState.PARKED);
        assertTrue(hooks.maps.isEmpty(), "the loader has not run");
        assertEquals(0, machine.stopPoints().hits("main.ran"));
        machine.kernel().processes().resumeThread(p.initialThread());
        assertEquals(0, exitCodeOf(p.process()));
        assertEquals(1, machine.stopPoints().hits("main.ran"));
    }

    @Test
    void aThreadTerminatedBeforeItEverRanReportsNoCreation() {
        RecordingHooks hooks = installRecordingHooks();
        List<EThread> created = new CopyOnWriteArrayList<>();
        EProcess p = start(SimProgram.of("deadborn", g -> {
            created.add(g.createThread(w -> w.point("never.here"), true, false));
            g.waitFor("never");
        })).process();
        awaitState(p.threads().getFirst(), SimThreadState.WAITING);
        EThread worker = created.getFirst();
        machine.kernel().processes().terminateThread(worker, 0x55);
        assertEquals(0x55, exitCodeOf(worker));
        assertFalse(hooks.createdThreads.contains(worker));
        assertEquals(0, machine.stopPoints().hits("never.here"));
    }
}
