package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ki.ExceptionDispatcher.Outcome;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.sim.ExceptionDisposition;
import dev.debugport.sim.SimProgram;
import dev.debugport.win32.ProcessInformation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * spec/dbgk.md §15 items 85–90 and 88a: detaching (DebugActiveProcessStop / NtRemoveProcessDebug) with and without
 * events in flight, and what the debuggee and the debugger's handle table look like afterwards.
 */
class DetachTest extends LifecycleTestBase {
    private static final long UNMAPPED = 0x10;

    @Test
    void s15_85_debugActiveProcessStopClearsTheDebuggerAndTheTargetRunsOn() {
        AtomicBoolean presentAfter = new AtomicBoolean(true);
        EProcess target = startPlain(SimProgram.of("d85", g -> {
            g.signal("d85.ready");
            g.waitFor("d85.check");
            presentAfter.set(g.isDebuggerPresent());
            g.outputDebugStringA("still running");
            g.exitThread(0x85);
        }));
        assertTrue(f.machine.awaitSignal("d85.ready", SimDebugFixture.TIMEOUT));
        int pid = (int) target.pid();
        attachAndSettle(pid);
        Handle query = f.k32.openProcess(AccessMask.PROCESS_QUERY_INFORMATION, pid);
        assertTrue(remoteDebuggerPresent(query));
        assertTrue(target.peb().beingDebugged());

        assertTrue(f.k32.debugActiveProcessStop(pid), () -> "DebugActiveProcessStop failed, error " + f.k32.getLastError());
        assertFalse(remoteDebuggerPresent(query), "CheckRemoteDebuggerPresent FALSE after the detach");
        f.machine.signal("d85.check");
        assertEquals(0x85, SimDebugFixture.awaitExit(target), "the target continues normally");
        assertFalse(presentAfter.get(), "IsDebuggerPresent FALSE in the target");
        f.assertNoEvent(QUIET_MS);
    }

    @Test
    void s15_86_removeProcessDebugWithTheWrongObjectOrAnUndebuggedProcessIsPortNotSet() {
        ProcessInformation pi = launch(SimProgram.of("d86", g -> {
            g.signal("d86.ready");
            g.waitFor("d86.end");
        }));
        drainUntilSignal("d86.ready");
        UserPointer<Handle> other = UserPointer.of(Handle.NULL);
        assertEquals(NtStatus.STATUS_SUCCESS, f.dbgk.objects().createDebugObject(f.debuggerThread, ProcessorMode.USER, other,
                AccessMask.DEBUG_OBJECT_ALL_ACCESS, null, 0));
        assertEquals(NtStatus.STATUS_PORT_NOT_SET,
                f.dbgk.detach().removeProcessDebug(f.debuggerThread, ProcessorMode.USER, pi.process(), other.get()),
                "an object that is not the process's port");
        assertTrue(remoteDebuggerPresent(pi.process()), "the real port is untouched");

        EProcess plain = startPlain(SimProgram.of("d86b", g -> g.waitFor("d86.end")));
        Handle plainHandle = f.k32.openProcess(AccessMask.PROCESS_ALL_ACCESS, (int) plain.pid());
        assertEquals(NtStatus.STATUS_PORT_NOT_SET,
                f.dbgk.detach().removeProcessDebug(f.debuggerThread, ProcessorMode.USER, plainHandle, other.get()),
                "a process that is not debugged");
        assertEquals(NtStatus.STATUS_PORT_NOT_SET,
                f.dbgk.detach().removeProcessDebug(f.debuggerThread, ProcessorMode.USER, plainHandle, f.k32.dbgUi().getThreadDebugObject()));
        f.machine.signal("d86.end");
        assertEquals(0, f.runToExit(pi.processId()));
        assertEquals(0, SimDebugFixture.awaitExit(plain));
    }

    @Test
    void s15_87_detachWithAFirstChanceExceptionPendingHandsItToTheProgramsHandlers() {
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        AtomicBoolean handlerRan = new AtomicBoolean();
        ProcessInformation pi = launch(SimProgram.of("d87", g -> {
            outcome.set(g.raiseException(0xE0000087, 0, null, p -> {
                handlerRan.set(true);
                return ExceptionDisposition.EXECUTE_HANDLER;
            }));
            g.exitThread(0x87);
        }));
        EProcess target = f.process(pi.processId());
        DebugEvent ex = until(e -> isException(e, 0xE0000087), null);
        assertTrue(exception(ex).firstChance());
        assertFalse(handlerRan.get(), "the thread waits for the debugger");

        assertTrue(f.k32.debugActiveProcessStop(pi.processId()), () -> "error " + f.k32.getLastError());
        assertEquals(0x87, SimDebugFixture.awaitExit(target));
        assertTrue(handlerRan.get(), "the exception went to the program's own handler, as if not handled");
        assertEquals(Outcome.HANDLED_BY_PROGRAM, outcome.get());
        assertFalse(f.k32.continueDebugEvent(ex.processId(), ex.threadId(), NtStatus.DBG_CONTINUE), "the event is gone");
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, f.k32.getLastError());
        f.assertNoEvent(QUIET_MS);
    }

    @Test
    void s15_88_detachWithFakeEventsPendingResumesTheirThreadsAndDropsTheEvents() {
        List<EThread> workers = new ArrayList<>();
        EProcess target = startPlain(SimProgram.of("d88", g -> {
            for (int i = 0; i < 2; i++) {
                EThread t = g.createThread(w -> w.waitFor("d88.end"));
                synchronized (workers) {
                    workers.add(t);
                }
            }
            g.signal("d88.ready");
            g.waitFor("d88.end");
        }));
        assertTrue(f.machine.awaitSignal("d88.ready", SimDebugFixture.TIMEOUT));
        int pid = (int) target.pid();
        assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().connectToDbg());
        Handle h = f.k32.openProcess(AccessMask.PROCESS_ALL_ACCESS, pid);
        assertEquals(NtStatus.STATUS_SUCCESS, f.dbgk.attach().debugActiveProcess(f.debuggerThread, ProcessorMode.USER, h, f.k32.dbgUi().getThreadDebugObject()));
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        List<EThread> all = new ArrayList<>(target.threads());
        assertEquals(3, all.size());
        for (EThread t : all) {
            assertTrue(t.runState().suspendCount() >= 1, () -> t + " is suspended by its fake event");
        }

        assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().stopDebugging(h));
        for (EThread t : all) {
            assertEquals(0, t.runState().suspendCount(), () -> t + " was resumed by the detach");
        }
        assertNull(target.debugPort());
        f.assertNoEvent(QUIET_MS);
        assertFalse(f.k32.continueDebugEvent(cp.processId(), cp.threadId(), NtStatus.DBG_CONTINUE), "the events were discarded");
        f.machine.signal("d88.end");
        assertEquals(0, SimDebugFixture.awaitExit(target), "the target runs to its end");
    }

    @Test
    void s15_88a_detachWithAnUnhandledAccessViolationPendingKillsWithC0000005() {
        EProcess target = startPlain(SimProgram.of("d88a", g -> {
            g.signal("d88a.ready");
            g.waitFor("d88a.crash");
            g.read(UNMAPPED, 4);
            g.exitThread(0x88A);
        }));
        assertTrue(f.machine.awaitSignal("d88a.ready", SimDebugFixture.TIMEOUT));
        int pid = (int) target.pid();
        attachAndSettle(pid);
        f.machine.signal("d88a.crash");
        DebugEvent av = until(e -> isException(e, NtStatus.STATUS_ACCESS_VIOLATION.value()), null);
        assertTrue(exception(av).firstChance());
        assertTrue(f.k32.debugActiveProcessStop(pid), () -> "error " + f.k32.getLastError());
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), SimDebugFixture.awaitExit(target), "no handler: the process dies with 0xC0000005");
        f.assertNoEvent(QUIET_MS);
    }

    @Test
    void s15_89_afterDetachNewThreadsAndExceptionsProduceNoEventsAndDoNotBlock() {
        AtomicBoolean handled = new AtomicBoolean();
        AtomicReference<EThread> late = new AtomicReference<>();
        EProcess target = startPlain(SimProgram.of("d89", g -> {
            g.signal("d89.ready");
            g.waitFor("d89.go");
            EThread t = g.createThread(w -> w.raiseException(0xE0000089, 0, null, p -> {
                handled.set(true);
                return ExceptionDisposition.EXECUTE_HANDLER;
            }));
            late.set(t);
            g.waitForThread(t);
            g.loadLibrary("late89.dll");
            g.outputDebugStringA("nobody listens");
            g.exitThread(0x89);
        }));
        assertTrue(f.machine.awaitSignal("d89.ready", SimDebugFixture.TIMEOUT));
        int pid = (int) target.pid();
        attachAndSettle(pid);
        assertTrue(f.k32.debugActiveProcessStop(pid));
        f.machine.signal("d89.go");
        assertEquals(0x89, SimDebugFixture.awaitExit(target), "nothing blocked the target");
        assertTrue(handled.get());
        assertNotNull(late.get());
        f.assertNoEvent(QUIET_MS);
    }

    @Test
    void s15_90_debugActiveProcessStopClosesTheHandlesKernel32Recorded() {
        EProcess target = startPlain(SimProgram.of("d90", g -> {
            EThread t = g.createThread(w -> w.waitFor("d90.end"));
            g.signal("d90.ready");
            g.waitFor("d90.end");
            g.waitForThread(t);
        }));
        assertTrue(f.machine.awaitSignal("d90.ready", SimDebugFixture.TIMEOUT));
        int pid = (int) target.pid();
        List<DebugEvent> events = attachAndSettle(pid);
        DebugEventInfo.CreateProcessDebugInfo cp = infos(events, DebugEventInfo.CreateProcessDebugInfo.class).getFirst();
        List<Handle> threadHandles = new ArrayList<>();
        threadHandles.add(cp.thread());
        int breakin = events.stream().filter(e -> isException(e, NtStatus.STATUS_BREAKPOINT.value())).findFirst().orElseThrow().threadId();
        for (DebugEvent e : ofKind(events, DebugEventCode.CREATE_THREAD_DEBUG_EVENT)) {
            if (e.threadId() != breakin) {
                threadHandles.add(((DebugEventInfo.CreateThreadDebugInfo) e.info()).thread());
            }
        }
        assertEquals(2, threadHandles.size(), "the initial thread and the worker");
        assertTrue(f.isOpen(cp.process()));
        threadHandles.forEach(h -> assertTrue(f.isOpen(h)));

        assertTrue(f.k32.debugActiveProcessStop(pid));
        assertFalse(f.isOpen(cp.process()), "hProcess closed");
        threadHandles.forEach(h -> assertFalse(f.isOpen(h), () -> "hThread " + h + " closed"));
        assertTrue(cp.file().isNull() || f.isOpen(cp.file()), "hFile is the debugger's to close");
        f.machine.signal("d90.end");
        assertEquals(0, SimDebugFixture.awaitExit(target));
    }
}
