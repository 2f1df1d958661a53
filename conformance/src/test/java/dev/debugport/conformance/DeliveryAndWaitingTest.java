package dev.debugport.conformance;

import static dev.debugport.conformance.DeliverySupport.awaitCondition;
import static dev.debugport.conformance.DeliverySupport.debugObject;
import static dev.debugport.conformance.DeliverySupport.exitCode;
import static dev.debugport.conformance.DeliverySupport.exitWorker;
import static dev.debugport.conformance.DeliverySupport.grantedAccess;
import static dev.debugport.conformance.DeliverySupport.ntWait;
import static dev.debugport.conformance.DeliverySupport.relative;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.conformance.DeliverySupport.NtWait;
import dev.debugport.conformance.DeliverySupport.Workers;
import dev.debugport.dbgk.DebugObject;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import dev.debugport.nt.DbgState;
import dev.debugport.nt.DbguiWaitStateChange;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.sim.GuestHandler;
import dev.debugport.sim.SimProgram;
import dev.debugport.sim.memory.PageProtection;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * spec/dbgk.md §15 items 38–53: delivery and waiting — one event per process in flight, several processes on one
 * object, FIFO order, zero and relative timeouts, alertable waits, access checks, the waitable object, the handles
 * and states a waiter gets, debug strings and RIP events, and closing the object under a blocked waiter.
 */
class DeliveryAndWaitingTest {
    private final SimDebugFixture f = new SimDebugFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void s15_38_secondEventOfAProcessWaitsUntilTheFirstIsContinued() {
        Workers w = DeliverySupport.launchIdleWorkers(f, "two-pending", 2);
        exitWorker(f, w, 0, 0x38);
        exitWorker(f, w, 1, 0x39); // both EXIT_THREAD events are queued now
        assertEquals(2, debugObject(f, f.dbgUiHandle()).queuedEventCount());

        DebugEvent first = f.next(DebugEventCode.EXIT_THREAD_DEBUG_EVENT);
        assertEquals(w.workers().get(0).tid(), first.threadId());
        f.assertNoEvent(10); // WaitForDebugEvent(&ev, 10) → FALSE, ERROR_SEM_TIMEOUT
        // The NT service says the same: nothing deliverable, output zeroed.
        NtWait nt = ntWait(f, f.debuggerThread, f.dbgUiHandle(), false, 0L);
        assertEquals(NtStatus.STATUS_TIMEOUT, nt.status());
        assertEquals(DbguiWaitStateChange.ZERO, nt.change());

        f.resume(first);
        DebugEvent second = f.next(DebugEventCode.EXIT_THREAD_DEBUG_EVENT);
        assertEquals(w.workers().get(1).tid(), second.threadId());
        assertEquals(0x39, exitCode(second));
        f.resume(second);
        assertEquals(0, f.runToExit(w.pid()));
    }

    @Test
    void s15_39_anotherProcessOnTheSameObjectIsNotBlocked() {
        SimProgram quiet = SimProgram.of("quiet", g -> { });
        ProcessInformation a = f.launch(quiet, DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent createA = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals(a.processId(), createA.processId());

        ProcessInformation b = f.launch(SimProgram.of("other", g -> { }), DebugCreationFlags.DEBUG_PROCESS);
        assertEquals(f.dbgUiHandle(), f.k32.dbgUi().getThreadDebugObject(), "both processes use the thread's one object");
        // A's CREATE_PROCESS is still un-continued; B's CREATE_PROCESS is delivered anyway.
        DebugEvent createB = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals(b.processId(), createB.processId());
        // And B's next event too, while A stays blocked behind its outstanding event.
        f.resume(createB);
        DebugEvent nextB = f.next();
        assertEquals(b.processId(), nextB.processId());
        f.resume(nextB);

        f.resume(createA);
        List<Integer> exited = new ArrayList<>();
        while (exited.size() < 2) {
            DebugEvent e = f.next();
            f.resume(e, e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT ? SimDebugFixture.passThrough(e) : NtStatus.DBG_CONTINUE);
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                exited.add(e.processId());
            }
        }
        assertTrue(exited.containsAll(List.of(a.processId(), b.processId())));
    }

    @Test
    void s15_40_eventsOfOneProcessAreDeliveredInQueueOrder() {
        Workers w = DeliverySupport.launchIdleWorkers(f, "fifo", 4);
        // Queue the four EXIT_THREAD events in an order unrelated to creation order or thread ids.
        int[] order = {2, 0, 3, 1};
        for (int i : order) {
            exitWorker(f, w, i, 0x400 + i);
        }
        assertEquals(4, debugObject(f, f.dbgUiHandle()).queuedEventCount());
        for (int i : order) {
            DebugEvent e = f.next(DebugEventCode.EXIT_THREAD_DEBUG_EVENT);
            assertEquals(w.workers().get(i).tid(), e.threadId(), "delivered out of queue order");
            assertEquals(0x400 + i, exitCode(e));
            f.resume(e);
        }
        assertEquals(0, f.runToExit(w.pid()));
    }

    @Test
    void s15_41_zeroTimeoutWithNothingDeliverableTimesOutAtOnceAndZeroesTheOutput() {
        assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().connectToDbg());
        long start = System.nanoTime();
        NtWait empty = ntWait(f, f.debuggerThread, f.dbgUiHandle(), false, 0L);
        assertEquals(NtStatus.STATUS_TIMEOUT, empty.status());
        assertEquals(DbguiWaitStateChange.ZERO, empty.change());
        assertTrue(empty.output().written());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 1000, "a zero timeout must not block");

        // Events queued but none deliverable (one is outstanding): the same.
        Workers w = DeliverySupport.launchIdleWorkers(f, "zero", 2);
        exitWorker(f, w, 0, 1);
        exitWorker(f, w, 1, 2);
        DebugEvent first = f.next(DebugEventCode.EXIT_THREAD_DEBUG_EVENT);
        NtWait blocked = ntWait(f, f.debuggerThread, f.dbgUiHandle(), true, 0L);
        assertEquals(NtStatus.STATUS_TIMEOUT, blocked.status());
        assertEquals(DbguiWaitStateChange.ZERO, blocked.change());
        f.resume(first);
        assertEquals(0, f.runToExit(w.pid()));
    }

    @Test
    void s15_42_relativeTimeoutCountsDownAcrossSpuriousWakeUps() throws Exception {
        Workers w = DeliverySupport.launchIdleWorkers(f, "countdown", 4);
        exitWorker(f, w, 0, 0);
        DebugEvent outstanding = f.next(DebugEventCode.EXIT_THREAD_DEBUG_EVENT);

        // Plain: nothing arrives → STATUS_TIMEOUT after about T.
        long t0 = System.nanoTime();
        NtWait plain = ntWait(f, f.debuggerThread, f.dbgUiHandle(), false, relative(200));
        long plainMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(NtStatus.STATUS_TIMEOUT, plain.status());
        assertTrue(plainMs >= 195, "returned after " + plainMs + " ms, before the 200 ms timeout");

        // With wake-ups: while the waiter waits, three more events of the same process are queued behind the
        // outstanding one; each sets EventsPresent (a wake-up that finds nothing deliverable). The wait must still
        // end about T after it began, not T after the last wake-up.
        long timeoutMs = 600;
        CompletableFuture<Void> waker = CompletableFuture.runAsync(() -> {
            for (int i = 1; i <= 3; i++) {
                f.machine.awaitSignal("countdown.never", java.time.Duration.ofMillis(120));
                exitWorker(f, w, i, i);
            }
        });
        long t1 = System.nanoTime();
        NtWait woken = ntWait(f, f.debuggerThread, f.dbgUiHandle(), false, relative(timeoutMs));
        long wokenMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
        waker.get(SimDebugFixture.TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertEquals(NtStatus.STATUS_TIMEOUT, woken.status());
        assertEquals(DbguiWaitStateChange.ZERO, woken.change());
        assertTrue(wokenMs >= timeoutMs - 5, "returned after " + wokenMs + " ms");
        // Restarting the full timeout at the last wake-up (at 360 ms or later) would end at 960 ms or later.
        assertTrue(wokenMs < timeoutMs + 340, "the timeout restarted on a spurious wake-up: " + wokenMs + " ms");
        assertEquals(4, debugObject(f, f.dbgUiHandle()).queuedEventCount());

        f.resume(outstanding);
        for (int i = 1; i <= 3; i++) {
            DebugEvent e = f.next(DebugEventCode.EXIT_THREAD_DEBUG_EVENT);
            assertEquals(w.workers().get(i).tid(), e.threadId());
            f.resume(e);
        }
        assertEquals(0, f.runToExit(w.pid()));
    }

    @Test
    void s15_43_alertableWaitReturnsUserApcAndWaitForDebugEventHidesIt() throws Exception {
        assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().connectToDbg());
        AtomicInteger apcs = new AtomicInteger();

        // NT: an alertable wait with a queued user APC runs it and returns STATUS_USER_APC, output zeroed.
        f.debuggerThread.waiter().queueUserApc(apcs::incrementAndGet);
        NtWait alertable = ntWait(f, f.debuggerThread, f.dbgUiHandle(), true, relative(5_000));
        assertEquals(NtStatus.STATUS_USER_APC, alertable.status());
        assertEquals(DbguiWaitStateChange.ZERO, alertable.change());
        assertEquals(1, apcs.get());

        // A non-alertable wait does not deliver it.
        f.debuggerThread.waiter().queueUserApc(apcs::incrementAndGet);
        NtWait plain = ntWait(f, f.debuggerThread, f.dbgUiHandle(), false, relative(50));
        assertEquals(NtStatus.STATUS_TIMEOUT, plain.status());
        assertEquals(1, apcs.get());
        // ... but the next alertable one does.
        assertEquals(NtStatus.STATUS_USER_APC, ntWait(f, f.debuggerThread, f.dbgUiHandle(), true, relative(5_000)).status());
        assertEquals(2, apcs.get());

        // Win32: WaitForDebugEvent (DbgUi waits alertably) runs the APC and keeps waiting; it times out normally...
        f.debuggerThread.waiter().queueUserApc(apcs::incrementAndGet);
        f.assertNoEvent(50);
        assertEquals(3, apcs.get());

        // ... or returns the event that arrives, even when the APC is queued while it is blocked.
        CompletableFuture<DebugEvent> waiting = CompletableFuture.supplyAsync(() -> SimDebugFixture.next(f.k32));
        f.debuggerThread.waiter().queueUserApc(apcs::incrementAndGet);
        awaitCondition("the APC to run", () -> apcs.get() == 4);
        ProcessInformation p = f.launch(SimProgram.of("apc", g -> { }), DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent e = waiting.get(SimDebugFixture.TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertEquals(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT, e.code());
        assertEquals(p.processId(), e.processId());
        f.resume(e);
        f.runToExit(p.processId());
    }

    @Test
    void s15_44_waitWithoutWaitStateChangeAccessIsDeniedAndLeavesTheOutput() {
        UserPointer<Handle> h = UserPointer.of(Handle.NULL);
        int noWaitRight = AccessMask.SYNCHRONIZE | AccessMask.DEBUG_OBJECT_ADD_REMOVE_PROCESS | AccessMask.DEBUG_OBJECT_SET_INFORMATION;
        assertEquals(NtStatus.STATUS_SUCCESS, f.dbgk.objects().createDebugObject(f.debuggerThread, ProcessorMode.USER, h, noWaitRight, null, 0));
        NtWait denied = ntWait(f, f.debuggerThread, h.get(), false, 0L);
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, denied.status());
        assertFalse(denied.output().written(), "the output must stay untouched");
        assertEquals(DeliverySupport.sentinel(), denied.change());
        // The same handle with the right added works (sanity: the denial is about the 0x1 bit).
        UserPointer<Handle> full = UserPointer.of(Handle.NULL);
        assertEquals(NtStatus.STATUS_SUCCESS, f.dbgk.objects().createDebugObject(f.debuggerThread, ProcessorMode.USER, full,
                noWaitRight | AccessMask.DEBUG_OBJECT_WAIT_STATE_CHANGE, null, 0));
        assertEquals(NtStatus.STATUS_TIMEOUT, ntWait(f, f.debuggerThread, full.get(), false, 0L).status());
    }

    @Test
    void s15_45_waitFromAThreadWithoutADbgUiHandleFailsWithInvalidHandle() {
        // Even while the connected thread has an event waiting.
        ProcessInformation p = f.launch(SimProgram.of("other-thread", g -> { }), DebugCreationFlags.DEBUG_PROCESS);
        Kernel32 second = f.secondDebuggerThread();
        assertTrue(second.dbgUi().getThreadDebugObject().isNull());
        UserPointer<DebugEvent> e = UserPointer.empty();
        assertFalse(second.waitForDebugEvent(e, 0));
        assertEquals(Win32Error.ERROR_INVALID_HANDLE, second.getLastError());
        assertFalse(second.waitForDebugEventEx(e, 50));
        assertEquals(Win32Error.ERROR_INVALID_HANDLE, second.getLastError());
        assertFalse(e.written());
        // The connected thread still gets it.
        assertEquals(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT, f.next().code());
        f.k32.continueDebugEvent(p.processId(), p.threadId(), NtStatus.DBG_CONTINUE);
        f.runToExit(p.processId());
    }

    @Test
    void s15_46_debugObjectHandleIsSignalledWhenAnEventIsDeliverable() {
        assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().connectToDbg());
        Handle h = f.dbgUiHandle();
        assertEquals(Kernel32.WAIT_TIMEOUT, f.k32.waitForSingleObject(h, 0));
        ProcessInformation p = f.launch(SimProgram.of("signal", g -> { }), DebugCreationFlags.DEBUG_PROCESS);
        assertEquals(Kernel32.WAIT_OBJECT_0, f.k32.waitForSingleObject(h, SimDebugFixture.TIMEOUT_MS));
        DebugEvent e = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        // A wait that then finds nothing deliverable resets EventsPresent: the handle is no longer signalled.
        f.assertNoEvent(0);
        assertEquals(Kernel32.WAIT_TIMEOUT, f.k32.waitForSingleObject(h, 0));
        f.resume(e); // the next event of the process is queued: signalled again
        assertEquals(Kernel32.WAIT_OBJECT_0, f.k32.waitForSingleObject(h, SimDebugFixture.TIMEOUT_MS));
        f.runToExit(p.processId());
    }

    @Test
    void s15_47_createProcessHandlesAllowMemoryAndContextAccess() {
        // The debugger never opens the grandchild itself: it only has the handles CREATE_PROCESS gives it.
        SimProgram grandchild = SimProgram.of("grandchild47", g -> { });
        ProcessInformation child = f.launch(SimProgram.of("child47", g -> {
            g.createProcess(grandchild, false);
            g.waitFor("child47.exit");
        }), DebugCreationFlags.DEBUG_PROCESS);
        f.k32.closeHandle(child.process());
        f.k32.closeHandle(child.thread());
        DebugEvent cp = DeliverySupport.continueUntil(f, "the grandchild's CREATE_PROCESS",
                e -> e.code() == DebugEventCode.CREATE_PROCESS_DEBUG_EVENT && e.processId() != child.processId());
        var info = (DebugEventInfo.CreateProcessDebugInfo) cp.info();

        byte[] mz = DeliverySupport.read(f.k32, info.process(), info.baseOfImage(), 2);
        assertArrayEquals("MZ".getBytes(StandardCharsets.US_ASCII), mz);
        long scratch = info.baseOfImage() + 0x100;
        byte[] saved = DeliverySupport.read(f.k32, info.process(), scratch, 2);
        DeliverySupport.write(f.k32, info.process(), scratch, (byte) 0x47, (byte) 0x48);
        assertArrayEquals(new byte[] {0x47, 0x48}, DeliverySupport.read(f.k32, info.process(), scratch, 2));
        DeliverySupport.write(f.k32, info.process(), scratch, saved);

        Amd64Context ctx = DeliverySupport.context(f.k32, info.thread());
        assertTrue(f.k32.setThreadContext(info.thread(), ctx.with(Amd64Register.RBX, 0x4747)), () -> "error " + f.k32.getLastError());
        assertEquals(0x4747, DeliverySupport.context(f.k32, info.thread()).get(Amd64Register.RBX));
        assertTrue(f.k32.setThreadContext(info.thread(), ctx));
        f.resume(cp);
        assertEquals(0, f.runToExit(cp.processId()));
        f.machine.signal("child47.exit");
        assertEquals(0, f.runToExit(child.processId()));
    }

    @Test
    void s15_48_handlesInCreateEventsHaveTheWindowsAccessMasks() {
        ProcessInformation p = f.launch(SimProgram.of("access", g -> g.waitForThread(g.createThread(w -> { }))),
                DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        var create = (DebugEventInfo.CreateProcessDebugInfo) cp.info();
        assertEquals(0x12067B, grantedAccess(f, create.process()));
        assertEquals(0x12007B, grantedAccess(f, create.thread()));
        assertNotEquals(AccessMask.PROCESS_ALL_ACCESS, grantedAccess(f, create.process()), "ReactOS's full access");
        f.resume(cp);
        DebugEvent ct = DeliverySupport.continueUntil(f, "CREATE_THREAD", e -> e.code() == DebugEventCode.CREATE_THREAD_DEBUG_EVENT);
        assertEquals(0x12007B, grantedAccess(f, ((DebugEventInfo.CreateThreadDebugInfo) ct.info()).thread()));
        f.resume(ct);
        f.runToExit(p.processId());
    }

    @Test
    void s15_49_breakpointAndSingleStepHaveTheirOwnStatesButWin32SeesExceptions() {
        SimProgram program = SimProgram.of("states", g -> {
            g.raiseException(NtStatus.STATUS_BREAKPOINT.value(), 0, null, GuestHandler.EXECUTE_HANDLER);
            g.raiseException(NtStatus.STATUS_SINGLE_STEP.value(), 0, null, GuestHandler.EXECUTE_HANDLER);
            g.raiseException(NtStatus.STATUS_ACCESS_VIOLATION.value(), 0, new long[] {0, 0x10}, GuestHandler.EXECUTE_HANDLER);
            g.raiseException(0xE0000049, 0, null, GuestHandler.EXECUTE_HANDLER);
            long code = g.allocate(0x1000, PageProtection.PAGE_EXECUTE_READWRITE);
            g.write(code, new byte[] {(byte) 0xCC, (byte) 0x90, (byte) 0xC3}); // int3 (hardware), then a traced nop
            g.tryExcept(x -> x.execute(code, 8), GuestHandler.EXECUTE_HANDLER);
            g.setContext(g.context().withTrapFlag(true));
            g.tryExcept(x -> x.execute(code + 1, 8), GuestHandler.EXECUTE_HANDLER);
        });
        ProcessInformation p = f.launch(program, DebugCreationFlags.DEBUG_PROCESS);
        Handle h = f.dbgUiHandle();
        List<int[]> seen = new ArrayList<>(); // {code, state}
        boolean exited = false;
        while (!exited) {
            NtWait nt = ntWait(f, f.debuggerThread, h, false, relative(SimDebugFixture.TIMEOUT_MS));
            assertEquals(NtStatus.STATUS_SUCCESS, nt.status());
            DbguiWaitStateChange sc = nt.change();
            UserPointer<DebugEvent> converted = UserPointer.empty();
            assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().convertStateChangeStructure(sc, converted));
            DbgState state = sc.state().orElseThrow();
            if (state == DbgState.EXCEPTION || state == DbgState.BREAKPOINT || state == DbgState.SINGLE_STEP) {
                int code = ((dev.debugport.nt.DbgkmException) ((dev.debugport.nt.WaitStateInfo.Message) sc.info()).payload()).exceptionRecord().code();
                assertEquals(DebugEventCode.EXCEPTION_DEBUG_EVENT, converted.get().code(), "Win32 code 1 for every exception state");
                assertEquals(code, DeliverySupport.record(converted.get()).code());
                if (sc.appClientId().uniqueProcess() == p.processId()) {
                    seen.add(new int[] {code, state.value()});
                }
            }
            exited = state == DbgState.EXIT_PROCESS;
            NtStatus answer = state == DbgState.EXCEPTION ? NtStatus.DBG_EXCEPTION_NOT_HANDLED : NtStatus.DBG_CONTINUE;
            assertEquals(NtStatus.STATUS_SUCCESS, DeliverySupport.ntContinue(f, h, sc.appClientId().uniqueProcess(),
                    sc.appClientId().uniqueThread(), answer));
        }
        // The initial breakpoint, then the program's own exceptions in order.
        int[][] expected = {
            {NtStatus.STATUS_BREAKPOINT.value(), 7},
            {NtStatus.STATUS_BREAKPOINT.value(), 7},
            {NtStatus.STATUS_SINGLE_STEP.value(), 8},
            {NtStatus.STATUS_ACCESS_VIOLATION.value(), 6},
            {0xE0000049, 6},
            {NtStatus.STATUS_BREAKPOINT.value(), 7},
            {NtStatus.STATUS_SINGLE_STEP.value(), 8},
        };
        assertEquals(expected.length, seen.size(), () -> "exceptions seen: " + seen.stream().map(a -> Integer.toHexString(a[0]) + "/" + a[1]).toList());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], seen.get(i), "exception #" + i);
        }
    }

    @Test
    void s15_50_outputDebugStringAIsAnAnsiDebugStringEvent() {
        ProcessInformation p = f.launch(SimProgram.of("ods", g -> g.outputDebugStringA("abc")), DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        Handle hProcess = ((DebugEventInfo.CreateProcessDebugInfo) cp.info()).process();
        f.resume(cp);
        DebugEvent e = f.skipUntil(DebugEventCode.OUTPUT_DEBUG_STRING_EVENT);
        var s = (DebugEventInfo.OutputDebugStringInfo) e.info();
        assertEquals(4, s.debugStringLength());
        assertFalse(s.unicode());
        assertEquals(p.threadId(), e.threadId());
        assertArrayEquals(new byte[] {'a', 'b', 'c', 0}, DeliverySupport.read(f.k32, hProcess, s.debugStringData(), 4),
                "the string pointer is an address in the debuggee");
        f.resume(e);
        assertEquals(0, f.runToExit(p.processId()));
    }

    @Test
    void s15_51_ripExceptionIsARipEvent() {
        int error = 0x11223344;
        int type = 2; // SLE_MINORERROR
        ProcessInformation p = f.launch(SimProgram.of("rip", g -> g.raiseException(NtStatus.DBG_RIPEXCEPTION.value(), 0,
                new long[] {error, type}, GuestHandler.EXECUTE_HANDLER)), DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent e = f.skipUntil(DebugEventCode.RIP_EVENT);
        var rip = (DebugEventInfo.RipInfo) e.info();
        assertEquals(error, rip.error());
        assertEquals(type, rip.type());
        assertEquals(p.threadId(), e.threadId());
        f.resume(e);
        assertEquals(0, f.runToExit(p.processId()));
    }

    @Test
    void s15_52_waitForDebugEventExReportsOutputDebugStringWAsUnicode() {
        ProcessInformation p = f.launch(SimProgram.of("odsw", g -> g.outputDebugStringW("wide")), DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        Handle hProcess = ((DebugEventInfo.CreateProcessDebugInfo) cp.info()).process();
        f.resume(cp);
        DebugEvent e = f.skipUntil(DebugEventCode.OUTPUT_DEBUG_STRING_EVENT); // fixture waits with WaitForDebugEventEx
        var s = (DebugEventInfo.OutputDebugStringInfo) e.info();
        assertTrue(s.unicode());
        assertEquals(10, s.debugStringLength(), "2 × (4 characters + NUL)");
        byte[] text = DeliverySupport.read(f.k32, hProcess, s.debugStringData(), 10);
        assertEquals("wide\0", new String(text, StandardCharsets.UTF_16LE));
        f.resume(e);
        // Handled by the debugger: no ANSI fallback event follows.
        DebugEvent next = f.next();
        assertNotEquals(DebugEventCode.OUTPUT_DEBUG_STRING_EVENT, next.code(), () -> "unexpected " + next);
        f.resume(next);
        if (next.code() != DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
            assertEquals(0, f.runToExit(p.processId()));
        }
    }

    @Test
    void s15_53_closingTheLastHandleWakesABlockedWaiterWithDebuggerInactive() throws Exception {
        UserPointer<Handle> h = UserPointer.of(Handle.NULL);
        assertEquals(NtStatus.STATUS_SUCCESS, f.dbgk.objects().createDebugObject(f.debuggerThread, ProcessorMode.USER, h,
                AccessMask.DEBUG_OBJECT_ALL_ACCESS, null, 0));
        DebugObject object = debugObject(f, h.get());
        long baseline = object.pointerCount();
        EThread other = f.secondDebuggerThread().thread();
        CompletableFuture<NtWait> blocked = CompletableFuture.supplyAsync(() -> ntWait(f, other, h.get(), false, null));
        // Once the waiter holds its reference it is committed to the wait; closing now must wake it.
        awaitCondition("the waiter to reference the object", () -> object.pointerCount() > baseline);
        assertFalse(blocked.isDone());
        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.services().close(f.debuggerThread, ProcessorMode.USER, h.get()));
        NtWait result = blocked.get(SimDebugFixture.TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertEquals(NtStatus.STATUS_DEBUGGER_INACTIVE, result.status());
        assertEquals(DbguiWaitStateChange.ZERO, result.change());
        assertTrue((object.flags() & DebugObject.DELETE_PENDING) != 0);
    }
}
