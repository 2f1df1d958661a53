package dev.debugport.conformance;

import static dev.debugport.conformance.DeliverySupport.awaitState;
import static dev.debugport.conformance.DeliverySupport.context;
import static dev.debugport.conformance.DeliverySupport.continueUntil;
import static dev.debugport.conformance.DeliverySupport.isException;
import static dev.debugport.conformance.DeliverySupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.sim.ExceptionDisposition;
import dev.debugport.sim.GuestCode;
import dev.debugport.sim.SimProgram;
import dev.debugport.sim.SimThreadState;
import dev.debugport.sim.memory.PageProtection;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * spec/wine-model-and-scenarios.md Part 2, section D (scenarios 47–54): continue statuses, DBG_REPLY_LATER with and
 * without suspended threads, ordering across threads, twenty threads on one int3, the end of a debug session, and
 * DBG_EXCEPTION_HANDLED against DBG_CONTINUE.
 */
class ContinueStatusScenariosTest {
    private static final int POLL_MS = 200;
    private static final byte INT3 = (byte) 0xCC;
    private static final byte RET = (byte) 0xC3;

    private final SimDebugFixture f = new SimDebugFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    private static NtStatus answer(DebugEvent e) {
        return e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT ? SimDebugFixture.passThrough(e) : NtStatus.DBG_CONTINUE;
    }

    @Test
    void p2_47_bogusContinueStatusFailsForEveryEventAndLeavesItPending() {
        SimProgram program = SimProgram.of("bogus47", g -> {
            long dll = g.loadLibrary("alpha.dll");
            g.outputDebugStringA("bogus");
            g.raiseException(0xE0000047, 0, null, p -> ExceptionDisposition.EXECUTE_HANDLER);
            g.waitForThread(g.createThread(w -> w.exitThread(0x47)));
            g.freeLibrary(dll);
        });
        ProcessInformation p = f.launch(program, DebugCreationFlags.DEBUG_PROCESS);
        Set<DebugEventCode> kinds = new HashSet<>();
        while (true) {
            DebugEvent e = f.next();
            kinds.add(e.code());
            assertFalse(f.k32.continueDebugEvent(e.processId(), e.threadId(), NtStatus.of(0xDEADBEEF)), () -> "accepted for " + e);
            assertEquals(Win32Error.ERROR_INVALID_PARAMETER, f.k32.getLastError());
            f.assertNoEvent(0); // still the outstanding event
            f.resume(e, answer(e));
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                break;
            }
        }
        assertEquals(Set.of(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT, DebugEventCode.LOAD_DLL_DEBUG_EVENT,
                DebugEventCode.EXCEPTION_DEBUG_EVENT, DebugEventCode.OUTPUT_DEBUG_STRING_EVENT, DebugEventCode.CREATE_THREAD_DEBUG_EVENT,
                DebugEventCode.EXIT_THREAD_DEBUG_EVENT, DebugEventCode.UNLOAD_DLL_DEBUG_EVENT, DebugEventCode.EXIT_PROCESS_DEBUG_EVENT), kinds,
                "every kind of event was tried");
    }

    @Test
    void p2_48_replyLaterOnCreateProcessRedeliversIt() {
        ProcessInformation p = f.launch(SimProgram.of("later48", g -> { }), DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent e = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        f.resume(e, NtStatus.DBG_REPLY_LATER);
        DebugEvent again = f.next();
        assertEquals(e.code(), again.code());
        assertEquals(e.processId(), again.processId());
        assertEquals(e.threadId(), again.threadId());
        f.resume(again);
        assertEquals(0, f.runToExit(p.processId()));
    }

    @Test
    void p2_49_replyLaterOnASuspendedThreadIsHeldUntilItResumes() {
        ProcessInformation p = f.launch(SimProgram.of("later49", g -> { }), DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent e = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        Handle thread = f.k32.openThread(AccessMask.THREAD_SUSPEND_RESUME, e.threadId());
        assertFalse(thread.isNull());
        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.services().suspendThread(f.debuggerThread, ProcessorMode.USER, thread, null));
        f.resume(e, NtStatus.DBG_REPLY_LATER);
        f.assertNoEvent(POLL_MS);
        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.services().resumeThread(f.debuggerThread, ProcessorMode.USER, thread, null));
        assertTrue(f.k32.closeHandle(thread));
        DebugEvent again = f.next();
        assertEquals(e.code(), again.code());
        assertEquals(e.threadId(), again.threadId());
        f.resume(again);
        assertEquals(0, f.runToExit(p.processId()));
    }

    @Test
    void p2_50_replyLaterOnLoadDllRedeliversIt() {
        ProcessInformation p = f.launch(SimProgram.of("later50", g -> { }), DebugCreationFlags.DEBUG_PROCESS);
        f.resume(f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT));
        DebugEvent e = f.next(DebugEventCode.LOAD_DLL_DEBUG_EVENT);
        f.resume(e, NtStatus.DBG_REPLY_LATER);
        DebugEvent again = f.next();
        assertEquals(e.code(), again.code());
        assertEquals(e.processId(), again.processId());
        assertEquals(e.threadId(), again.threadId());
        var first = (DebugEventInfo.LoadDllDebugInfo) e.info();
        var second = (DebugEventInfo.LoadDllDebugInfo) again.info();
        assertEquals(first.baseOfDll(), second.baseOfDll());
        // The image handle moved to the debugger at the first delivery (the event's copy was cleared, and the
        // re-queued message is that copy): the debugger keeps the first hFile, the replay carries none.
        assertFalse(first.file().isNull());
        assertTrue(f.isOpen(first.file()));
        assertTrue(second.file().isNull(), () -> "a second file handle for the same LOAD_DLL: " + second.file());
        f.resume(again);
        assertEquals(0, f.runToExit(p.processId()));
    }

    /** A debuggee that maps an executable page holding {@code code}, publishes its address, and idles until told. */
    private record CodeHost(ProcessInformation info, EProcess process, long code) {
    }

    private CodeHost launchCodeHost(String name, byte... code) {
        AtomicLong address = new AtomicLong();
        SimProgram program = SimProgram.of(name, g -> {
            long page = g.allocate(0x1000, PageProtection.PAGE_EXECUTE_READWRITE);
            g.write(page, code);
            address.set(page);
            g.signal(name + ".ready");
            g.waitFor(name + ".exit");
        });
        ProcessInformation p = f.launch(program, DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent bp = continueUntil(f, "the initial breakpoint", e -> isException(e, NtStatus.STATUS_BREAKPOINT));
        f.resume(bp);
        assertTrue(f.machine.awaitSignal(name + ".ready", SimDebugFixture.TIMEOUT));
        awaitState(f, DeliverySupport.thread(f, p.threadId()), SimThreadState.WAITING);
        f.assertNoEvent(10);
        return new CodeHost(p, f.process(p.processId()), address.get());
    }

    /** CreateRemoteThread: a thread in the debuggee starting at {@code start} and running {@code body}. */
    private EThread remoteThread(EProcess process, long start, GuestCode body) {
        var created = f.kernel.processes().createThread(process, start, body, false, false);
        assertTrue(created.isSuccess(), () -> "CreateRemoteThread failed: " + created.status());
        return created.value();
    }

    @Test
    void p2_51_replyLaterWithSuspendedThreadsAndProcess() {
        CodeHost host = launchCodeHost("later51", INT3, RET);
        long code = host.code();
        f.machine.stopPoints().arm("s51.a");
        EThread a = remoteThread(host.process(), code, g -> {
            g.point("s51.a");
            g.execute(code, 8);
        });
        DebugEvent createA = f.next(DebugEventCode.CREATE_THREAD_DEBUG_EVENT);
        assertEquals(a.tid(), createA.threadId());
        f.resume(createA);
        assertTrue(f.machine.stopPoints().awaitReached("s51.a", SimDebugFixture.TIMEOUT));

        EThread b = remoteThread(host.process(), code, g -> g.execute(code, 8));
        DebugEvent createB = f.next(DebugEventCode.CREATE_THREAD_DEBUG_EVENT);
        assertEquals(b.tid(), createB.threadId());
        Handle hB = ((DebugEventInfo.CreateThreadDebugInfo) createB.info()).thread();
        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.services().suspendThread(f.debuggerThread, ProcessorMode.USER, hB, null));
        f.resume(createB, NtStatus.DBG_REPLY_LATER);

        f.machine.stopPoints().release("s51.a");
        DebugEvent exA = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertEquals(a.tid(), exA.threadId(), "A's exception, not B's delayed CREATE_THREAD");
        assertTrue(isException(exA, NtStatus.STATUS_BREAKPOINT));
        DeliverySupport.write(f.k32, host.info().process(), code, RET); // B must not hit the int3

        Handle hProcess = host.info().process();
        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.services().suspendProcess(f.debuggerThread, ProcessorMode.USER, hProcess));
        f.resume(exA, NtStatus.DBG_REPLY_LATER);
        f.assertNoEvent(POLL_MS); // nothing from A or B while the process is suspended
        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.services().resumeThread(f.debuggerThread, ProcessorMode.USER, hB, null));
        f.assertNoEvent(POLL_MS); // B is still suspended by the process suspension
        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.services().resumeProcess(f.debuggerThread, ProcessorMode.USER, hProcess));

        // Now A's delayed exception and B's delayed CREATE_THREAD, each followed by its EXIT_THREAD, in either order.
        Map<Integer, List<DebugEvent>> perThread = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            DebugEvent e = f.next();
            assertTrue(e.threadId() == a.tid() || e.threadId() == b.tid(), () -> "unexpected " + e);
            perThread.computeIfAbsent(e.threadId(), t -> new ArrayList<>()).add(e);
            f.resume(e);
        }
        List<DebugEvent> fromA = perThread.get((int) a.tid());
        List<DebugEvent> fromB = perThread.get((int) b.tid());
        assertEquals(2, fromA.size(), () -> "A: " + fromA);
        assertEquals(2, fromB.size(), () -> "B: " + fromB);
        assertEquals(exA.code(), fromA.get(0).code());
        assertEquals(record(exA), record(fromA.get(0)), "the same exception again");
        assertEquals(DebugEventCode.EXIT_THREAD_DEBUG_EVENT, fromA.get(1).code());
        assertEquals(DebugEventCode.CREATE_THREAD_DEBUG_EVENT, fromB.get(0).code());
        assertEquals(DebugEventCode.EXIT_THREAD_DEBUG_EVENT, fromB.get(1).code());
        f.assertNoEvent(50);
        f.machine.signal("later51.exit");
        assertEquals(0, f.runToExit(host.info().processId()));
    }

    @Test
    void p2_52_twentyThreadsOnOneInt3AreReportedOneAtATime() {
        int workers = 20;
        CodeHost host = launchCodeHost("int3x20", INT3, RET);
        long code = host.code();
        f.machine.stopPoints().arm("s52.go");
        GuestCode body = g -> {
            g.point("s52.go");
            g.execute(code, 8);
        };
        Map<Integer, Handle> threads = new HashMap<>();
        for (int i = 0; i < workers; i++) {
            EThread t = remoteThread(host.process(), code, body);
            DebugEvent ct = f.next(DebugEventCode.CREATE_THREAD_DEBUG_EVENT);
            assertEquals(t.tid(), ct.threadId());
            assertEquals(code, ((DebugEventInfo.CreateThreadDebugInfo) ct.info()).startAddress());
            threads.put(ct.threadId(), ((DebugEventInfo.CreateThreadDebugInfo) ct.info()).thread());
            f.resume(ct);
        }
        assertTrue(f.machine.stopPoints().awaitReached("s52.go", workers, SimDebugFixture.TIMEOUT));
        f.machine.stopPoints().release("s52.go"); // all twenty run into the int3 at once

        Set<Integer> excepted = new HashSet<>();
        Set<Integer> exited = new HashSet<>();
        while (exited.size() < workers) {
            DebugEvent e = f.next();
            assertTrue(threads.containsKey(e.threadId()), () -> "unexpected " + e);
            if (e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT) {
                assertTrue(isException(e, NtStatus.STATUS_BREAKPOINT));
                assertEquals(code, record(e).address());
                Amd64Context ctx = context(f.k32, threads.get(e.threadId()));
                assertEquals(code + 1, ctx.rip(), "IP = bp + 1");
                assertTrue(excepted.add(e.threadId()), "one exception per thread");
                f.assertNoEvent(10); // delivered alone, even with others queued
            } else {
                assertEquals(DebugEventCode.EXIT_THREAD_DEBUG_EVENT, e.code(), () -> "unexpected " + e);
                assertTrue(excepted.contains(e.threadId()), "a thread exits only after its own exception");
                assertTrue(exited.add(e.threadId()));
                assertEquals(0, DeliverySupport.exitCode(e));
            }
            f.resume(e);
        }
        // Exceptions normally all come before the exits; Windows sometimes interleaves them, which is tolerated.
        assertEquals(workers, excepted.size());
        f.machine.signal("int3x20.exit");
        assertEquals(0, f.runToExit(host.info().processId()));
    }

    @Test
    void p2_53_theLastEventIsExitProcessAndThenTheProcessIsSignalled() {
        SimProgram program = SimProgram.of("end53", g -> {
            g.loadLibrary("alpha.dll");
            g.waitForThread(g.createThread(w -> w.outputDebugStringA("worker")));
            g.exitThread(0x53);
        });
        ProcessInformation p = f.launch(program, DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent last;
        while (true) {
            DebugEvent e = f.next();
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                last = e;
                break;
            }
            f.resume(e, NtStatus.DBG_CONTINUE);
        }
        assertEquals(0x53, DeliverySupport.exitCode(last));
        assertEquals(Kernel32.WAIT_TIMEOUT, f.k32.waitForSingleObject(p.process(), 0), "not signalled before EXIT_PROCESS is continued");
        f.resume(last, NtStatus.DBG_CONTINUE);
        assertEquals(Kernel32.WAIT_OBJECT_0, f.k32.waitForSingleObject(p.process(), SimDebugFixture.TIMEOUT_MS));
        f.assertNoEvent(100);
    }

    /** Runs the scenario-54 program under a debugger that answers every first-chance exception with {@code handled}. */
    private List<Long> runHandledScenario(String name, NtStatus handled) {
        AtomicInteger vectored = new AtomicInteger();
        AtomicInteger seh = new AtomicInteger();
        AtomicLong code = new AtomicLong();
        List<Long> outcome = new ArrayList<>();
        SimProgram program = SimProgram.of(name, g -> {
            g.addVectoredHandler(ptrs -> {
                vectored.incrementAndGet();
                return ExceptionDisposition.CONTINUE_SEARCH;
            });
            g.raiseException(0xE0000054, 0, null, ptrs -> {
                seh.incrementAndGet();
                return ExceptionDisposition.EXECUTE_HANDLER;
            });
            long page = g.allocate(0x1000, PageProtection.PAGE_EXECUTE_READWRITE);
            g.write(page, new byte[] {INT3, RET, RET});
            code.set(page);
            long stoppedAt = g.execute(page, 8);
            outcome.add(stoppedAt - page);
            outcome.add(g.context().get(Amd64Register.RBX));
        });
        ProcessInformation p = f.launch(program, DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        f.resume(cp);
        DebugEvent raised = continueUntil(f, "0xE0000054", e -> isException(e, NtStatus.of(0xE0000054)));
        f.resume(raised, handled);
        DebugEvent bp = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertEquals(code.get(), record(bp).address());
        Handle hThread = f.k32.openThread(AccessMask.THREAD_GET_CONTEXT | AccessMask.THREAD_SET_CONTEXT, bp.threadId());
        Amd64Context ctx = context(f.k32, hThread);
        assertTrue(f.k32.setThreadContext(hThread, ctx.withRip(code.get() + 2).with(Amd64Register.RBX, 0x54)));
        f.k32.closeHandle(hThread);
        f.resume(bp, handled);
        assertEquals(0, f.runToExit(p.processId()));
        outcome.add((long) vectored.get());
        outcome.add((long) seh.get());
        return outcome;
    }

    @Test
    void p2_54_exceptionHandledAndContinueMeanTheSame() {
        List<Long> handled = runHandledScenario("handled54", NtStatus.DBG_EXCEPTION_HANDLED);
        List<Long> continued = runHandledScenario("continue54", NtStatus.DBG_CONTINUE);
        // {ret reached at page+2 (the edited IP), edited RBX, no vectored handler call, no SEH handler call}
        assertEquals(List.of(2L, 0x54L, 0L, 0L), continued);
        assertEquals(continued, handled);
    }
}
