package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.GuestCode;
import dev.debugport.sim.SimMachine;
import dev.debugport.sim.SimProgram;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * spec/dbgk.md §15 items 32–34: threads that are created, resumed or exiting while an attach is in progress are
 * reported exactly once (or, for an exiting thread, not at all). The races are reproduced with stop points:
 * {@link SimMachine#THREAD_STARTUP_POINT} holds a new thread just before DbgkCreateThread,
 * {@link SimMachine#THREAD_EXIT_POINT} an exiting one just before PspExitThread.
 */
class AttachRaceTest extends AttachTestSupport {

    private static long count(List<DebugEvent> events, DebugEventCode code, EThread thread) {
        return events.stream().filter(e -> e.code() == code && e.threadId() == (int) thread.tid()).count();
    }

    /** Lets the idle target end and collects every remaining event up to its EXIT_PROCESS (all continued). */
    private List<DebugEvent> runTargetToExit(EProcess target) {
        f.machine.signal(EXIT);
        return f.collect((int) target.pid());
    }

    @Test
    void s15_32_threadInsertedButNotYetReportedIsReportedOnce() {
        String spawn = "spawn";
        EProcess target = startUndebugged(new SimProgram("spawner", ProcessTraits.NATIVE, List.of(), g -> {
            g.signal(READY);
            g.waitFor(spawn);
            EThread late = g.createThread(w -> {
                w.signal("late.ran");
                w.waitFor(EXIT);
            });
            g.waitFor(EXIT);
            g.waitForThread(late);
        }), READY);
        Set<EThread> before = Set.copyOf(target.threads());
        // The new thread is created (inserted in the thread list) and then held right before DbgkCreateThread.
        f.machine.stopPoints().arm(SimMachine.THREAD_STARTUP_POINT, t -> !before.contains(t));
        f.machine.signal(spawn);
        assertTrue(f.machine.stopPoints().awaitReached(SimMachine.THREAD_STARTUP_POINT, SimDebugFixture.TIMEOUT));
        EThread late = target.threads().stream().filter(t -> !before.contains(t)).findFirst().orElseThrow();

        ntAttachWithDbgUi(target);
        // Its own creation report now races the fake one the attach queued.
        f.machine.stopPoints().release(SimMachine.THREAD_STARTUP_POINT);
        List<DebugEvent> events = new ArrayList<>(drain(f.k32, 200));
        awaitSignal("late.ran");
        assertNoEvent(f.k32, 100);
        events.addAll(runTargetToExit(target));
        assertEquals(1, count(events, DebugEventCode.CREATE_THREAD_DEBUG_EVENT, late), () -> "exactly one CREATE_THREAD: " + events);
        assertEquals(1, count(events, DebugEventCode.EXIT_THREAD_DEBUG_EVENT, late));
    }

    @Test
    void s15_32_threadCreatedBetweenTheScanAndTheCommitIsReportedOnce() throws Exception {
        EProcess target = startIdle(1, "alpha.dll");
        Handle object = connect();
        Handle process = openProcess(target, AccessMask.PROCESS_ALL_ACCESS);
        Set<EThread> before = Set.copyOf(target.threads());
        f.machine.stopPoints().arm(SimMachine.THREAD_STARTUP_POINT, t -> !before.contains(t));
        AtomicReference<NtStatus> attached = new AtomicReference<>();
        EThread late;
        List<?> loaderList = target.loaderList();
        // The attach walks the threads first, then the loader list (under its lock), then commits. Holding the
        // loader list stops the attach between its thread scan and its commit.
        Thread attacher;
        synchronized (loaderList) {
            attacher = Thread.ofPlatform().name("attacher").start(() -> attached.set(ntAttach(process, object)));
            awaitBlockedOn(attacher, loaderList);
            // CreateRemoteThread into the target while the attach is in progress.
            GuestCode body = w -> {
                w.signal("late.ran");
                w.waitFor(EXIT);
            };
            NtResult<EThread> created = f.kernel.processes().createThread(target, target.image().base() + 0x1_8000, body, false, false);
            assertTrue(created.isSuccess());
            late = created.value();
        }
        attacher.join(SimDebugFixture.TIMEOUT.toMillis());
        assertFalse(attacher.isAlive(), "the attach did not finish");
        assertEquals(NtStatus.STATUS_SUCCESS, attached.get());
        // The new thread has not passed its own DbgkCreateThread (it is held at the start-up point, or has not even
        // started because the re-scan suspended it first), so a CREATE_THREAD for it now can only be the attach's:
        // the re-scan queues it after every other fake (spec §4.4 step 5, §6.8).
        assertTrue(late.runState().suspendCount() >= 1, "the re-scan suspends it like any fake's thread");
        List<DebugEvent> events = new ArrayList<>(drain(f.k32, 200));
        assertTrue(f.machine.stopPoints().awaitReached(SimMachine.THREAD_STARTUP_POINT, SimDebugFixture.TIMEOUT));
        DebugEvent last = events.getLast();
        assertEquals(DebugEventCode.CREATE_THREAD_DEBUG_EVENT, last.code(), () -> "re-scan fake comes last: " + events);
        assertEquals((int) late.tid(), last.threadId());
        assertEquals(late.win32StartAddress(), createThread(last).startAddress());
        assertEquals(0, late.runState().suspendCount());

        f.machine.stopPoints().release(SimMachine.THREAD_STARTUP_POINT);
        awaitSignal("late.ran");
        assertNoEvent(f.k32, 100);
        events.addAll(runTargetToExit(target));
        assertEquals(1, count(events, DebugEventCode.CREATE_THREAD_DEBUG_EVENT, late), () -> "exactly one CREATE_THREAD: " + events);
        assertEquals(1, count(events, DebugEventCode.EXIT_THREAD_DEBUG_EVENT, late));
    }

    /** Waits until {@code thread} is blocked entering the monitor of {@code lock}. */
    private static void awaitBlockedOn(Thread thread, Object lock) {
        String lockName = lock.getClass().getName() + '@' + Integer.toHexString(System.identityHashCode(lock));
        long deadline = System.nanoTime() + SimDebugFixture.TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!thread.isAlive()) {
                fail("the attach finished without taking the loader list's lock");
            }
            ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(thread.threadId());
            if (info != null && info.getThreadState() == Thread.State.BLOCKED && lockName.equals(info.getLockName())) {
                return;
            }
            Thread.onSpinWait();
        }
        fail("the attach never reached the loader list");
    }

    @Test
    void s15_33_threadCreatedSuspendedAndResumedAfterTheAttachIsReportedOnce() {
        AtomicReference<EThread> suspended = new AtomicReference<>();
        EProcess target = startUndebugged(new SimProgram("suspender", ProcessTraits.NATIVE, List.of(), g -> {
            EThread t = g.createThread(w -> w.signal("suspended.ran"), true, false);
            suspended.set(t);
            g.signal(READY);
            g.waitFor(EXIT);
            g.waitForThread(t);
        }), READY);
        EThread t = suspended.get();
        assertNotNull(t);
        assertEquals(1, t.runState().suspendCount());

        ntAttachWithDbgUi(target);
        List<DebugEvent> events = new ArrayList<>(drain(f.k32, 200));
        assertEquals(1, count(events, DebugEventCode.CREATE_THREAD_DEBUG_EVENT, t), "the attach reports it (it is inserted)");
        assertFalse(f.machine.isSignalled("suspended.ran"));

        Handle h = f.k32.openThread(AccessMask.THREAD_SUSPEND_RESUME, (int) t.tid());
        assertEquals(1, f.k32.resumeThread(h));
        // It now runs for the first time: its own DbgkCreateThread must not report it again.
        DebugEvent next = SimDebugFixture.next(f.k32);
        assertEquals(DebugEventCode.EXIT_THREAD_DEBUG_EVENT, next.code(), () -> "no second CREATE_THREAD: " + next);
        assertEquals((int) t.tid(), next.threadId());
        assertTrue(f.machine.isSignalled("suspended.ran"));
        resume(f.k32, next);
        events.add(next);
        events.addAll(runTargetToExit(target));
        assertEquals(1, count(events, DebugEventCode.CREATE_THREAD_DEBUG_EVENT, t));
    }

    @Test
    void s15_34_threadExitingDuringTheAttachIsReportedNeitherWay() {
        String workerExit = "worker.exit";
        AtomicReference<EThread> workerRef = new AtomicReference<>();
        EProcess target = startUndebugged(new SimProgram("exiter", ProcessTraits.NATIVE, List.of(), g -> {
            EThread w = g.createThread(x -> x.waitFor(workerExit));
            workerRef.set(w);
            g.signal(READY);
            g.waitFor(EXIT);
            g.waitForThread(w);
        }), READY);
        EThread worker = workerRef.get();
        f.machine.stopPoints().arm(SimMachine.THREAD_EXIT_POINT, t -> t == worker);
        f.machine.signal(workerExit);
        assertTrue(f.machine.stopPoints().awaitReached(SimMachine.THREAD_EXIT_POINT, SimDebugFixture.TIMEOUT));
        // The worker is inside PspExitThread: its rundown protection is gone (ExWaitForRundownProtectionRelease)
        // and DbgkExitThread has not run yet. The sim holds it just before, so the test takes that step for it.
        worker.rundown().waitForRundown();

        ntAttachWithDbgUi(target);
        List<DebugEvent> events = new ArrayList<>(drain(f.k32, 200));
        assertEquals(0, count(events, DebugEventCode.CREATE_THREAD_DEBUG_EVENT, worker), () -> "no CREATE_THREAD: " + events);
        assertEquals(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT, events.getFirst().code());
        assertEquals((int) target.threads().getFirst().tid(), events.getFirst().threadId());

        f.machine.stopPoints().release(SimMachine.THREAD_EXIT_POINT);
        assertTrue(SimMachine.awaitExit(worker, SimDebugFixture.TIMEOUT));
        assertNoEvent(f.k32, 100);
        events.addAll(runTargetToExit(target));
        assertEquals(0, count(events, DebugEventCode.EXIT_THREAD_DEBUG_EVENT, worker), () -> "no EXIT_THREAD (Windows): " + events);
        assertEquals(0, count(events, DebugEventCode.CREATE_THREAD_DEBUG_EVENT, worker));
    }

    @Test
    void s15_34_threadThatHasExitedButIsStillListedIsNotReported() {
        String workerExit = "worker.exit";
        AtomicReference<EThread> workerRef = new AtomicReference<>();
        EProcess target = startUndebugged(new SimProgram("exited", ProcessTraits.NATIVE, List.of(), g -> {
            EThread w = g.createThread(x -> x.waitFor(workerExit));
            workerRef.set(w);
            g.signal(READY);
            g.waitFor(EXIT);
        }), READY);
        EThread worker = workerRef.get();
        f.machine.signal(workerExit);
        assertTrue(SimMachine.awaitExit(worker, SimDebugFixture.TIMEOUT));
        assertTrue(target.threads().contains(worker), "an exited thread stays in the list while referenced");

        ntAttachWithDbgUi(target);
        List<DebugEvent> events = new ArrayList<>(drain(f.k32, 200));
        events.addAll(runTargetToExit(target));
        assertEquals(0, events.stream().filter(e -> e.threadId() == (int) worker.tid()).count(), () -> "nothing for the dead thread: " + events);
    }
}
