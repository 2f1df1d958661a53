package dev.debugport.conformance;

import static dev.debugport.conformance.DeliverySupport.awaitState;
import static dev.debugport.conformance.DeliverySupport.context;
import static dev.debugport.conformance.DeliverySupport.continueUntil;
import static dev.debugport.conformance.DeliverySupport.exitCode;
import static dev.debugport.conformance.DeliverySupport.exitWorker;
import static dev.debugport.conformance.DeliverySupport.firstChance;
import static dev.debugport.conformance.DeliverySupport.isException;
import static dev.debugport.conformance.DeliverySupport.ntContinue;
import static dev.debugport.conformance.DeliverySupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.conformance.DeliverySupport.Workers;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
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
import dev.debugport.win32.ProcessInformation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * spec/dbgk.md §15 items 54–67: NtDebugContinue / ContinueDebugEvent — status validation, matching the outstanding
 * event, DBG_TERMINATE_*, DBG_REPLY_LATER, and what the debuggee does after each answer (int3 addresses and IP,
 * first and second chance, SetThreadContext, freezing of the other threads).
 */
class ContinueDebugEventTest {
    private static final Duration POLL = Duration.ofMillis(200);

    private final SimDebugFixture f = new SimDebugFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    private static final SimProgram QUIET = SimProgram.of("quiet", g -> { });

    @Test
    void s15_54_invalidContinueStatusesAreRejectedAndTheEventStaysPending() {
        ProcessInformation p = f.launch(QUIET, DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent e = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        List<NtStatus> invalid = List.of(NtStatus.of(0), NtStatus.DBG_CONTROL_C, NtStatus.of(0xDEADBEEF),
                NtStatus.DBG_UNABLE_TO_PROVIDE_HANDLE, NtStatus.DBG_PRINTEXCEPTION_C, NtStatus.DBG_RIPEXCEPTION,
                NtStatus.DBG_CONTROL_BREAK, NtStatus.DBG_COMMAND_EXCEPTION, NtStatus.DBG_PRINTEXCEPTION_WIDE_C,
                NtStatus.STATUS_PENDING, NtStatus.STATUS_ACCESS_VIOLATION);
        for (NtStatus status : invalid) {
            assertFalse(f.k32.continueDebugEvent(e.processId(), e.threadId(), status), () -> status + " was accepted");
            assertEquals(Win32Error.ERROR_INVALID_PARAMETER, f.k32.getLastError(), () -> "for " + status);
        }
        // The status is checked before the handle is even looked at.
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, ntContinue(f, Handle.of(0xDEAD0), e.processId(), e.threadId(), NtStatus.DBG_CONTROL_C));
        // Still outstanding: nothing else of the process is delivered, and a proper continue works.
        f.assertNoEvent(10);
        EProcess process = f.process(p.processId());
        f.resume(e);
        DebugEvent ntdll = f.next(DebugEventCode.LOAD_DLL_DEBUG_EVENT);
        f.resume(ntdll);
        f.resume(f.skipUntil(DebugEventCode.EXIT_PROCESS_DEBUG_EVENT));
        assertEquals(0, SimDebugFixture.awaitExit(process));
    }

    @Test
    void s15_55_wrongProcessOrThreadIdIsRejected() {
        ProcessInformation p = f.launch(QUIET, DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent e = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertFalse(f.k32.continueDebugEvent(e.processId() + 4, e.threadId(), NtStatus.DBG_CONTINUE));
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, f.k32.getLastError());
        assertFalse(f.k32.continueDebugEvent(e.processId(), e.threadId() + 4, NtStatus.DBG_CONTINUE));
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, f.k32.getLastError());
        assertFalse(f.k32.continueDebugEvent(e.threadId(), e.processId(), NtStatus.DBG_CONTINUE), "pid and tid swapped");
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, f.k32.getLastError());
        f.assertNoEvent(10);
        f.resume(e);
        f.runToExit(p.processId());
    }

    @Test
    void s15_56_continuingTheSameEventTwiceFails() {
        ProcessInformation p = f.launch(QUIET, DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent e = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_SUCCESS, ntContinue(f, f.dbgUiHandle(), e.processId(), e.threadId(), NtStatus.DBG_CONTINUE));
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, ntContinue(f, f.dbgUiHandle(), e.processId(), e.threadId(), NtStatus.DBG_CONTINUE));
        assertFalse(f.k32.continueDebugEvent(e.processId(), e.threadId(), NtStatus.DBG_CONTINUE));
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, f.k32.getLastError());
        f.runToExit(p.processId());
    }

    @Test
    void s15_57_continuingAQueuedButUndeliveredEventFails() {
        // A live event queued while nobody waited.
        ProcessInformation p = f.launch(QUIET, DebugCreationFlags.DEBUG_PROCESS);
        awaitState(f, DeliverySupport.thread(f, p.threadId()), SimThreadState.IN_KERNEL);
        assertEquals(1, DeliverySupport.debugObject(f, f.dbgUiHandle()).queuedEventCount());
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, ntContinue(f, f.dbgUiHandle(), p.processId(), p.threadId(), NtStatus.DBG_CONTINUE));
        DebugEvent e = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT); // still there, unchanged
        assertEquals(p.threadId(), e.threadId());
        f.resume(e);
        f.runToExit(p.processId());

        // An event queued behind the outstanding one of its process.
        Workers w = DeliverySupport.launchIdleWorkers(f, "behind", 2);
        exitWorker(f, w, 0, 1);
        exitWorker(f, w, 1, 2);
        DebugEvent first = f.next(DebugEventCode.EXIT_THREAD_DEBUG_EVENT);
        long secondTid = w.workers().get(1).tid();
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, ntContinue(f, f.dbgUiHandle(), w.pid(), secondTid, NtStatus.DBG_CONTINUE));
        f.resume(first);
        DebugEvent second = f.next(DebugEventCode.EXIT_THREAD_DEBUG_EVENT);
        assertEquals(secondTid, second.threadId());
        f.resume(second);
        f.runToExit(w.pid());
    }

    @Test
    void s15_58_terminateStatusesAreAcceptedAsHandled() {
        AtomicInteger ownHandlerRuns = new AtomicInteger();
        SimProgram program = SimProgram.of("terminate-statuses", g -> {
            for (int code : new int[] {0xE0000058, 0xE0000059}) {
                g.raiseException(code, 0, null, ptrs -> {
                    ownHandlerRuns.incrementAndGet();
                    return ExceptionDisposition.EXECUTE_HANDLER;
                });
            }
            g.exitThread(0x58);
        });
        ProcessInformation p = f.launch(program, DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_SUCCESS, ntContinue(f, f.dbgUiHandle(), cp.processId(), cp.threadId(), NtStatus.DBG_TERMINATE_THREAD));
        DebugEvent first = continueUntil(f, "0xE0000058", e -> isException(e, NtStatus.of(0xE0000058)));
        assertTrue(f.k32.continueDebugEvent(first.processId(), first.threadId(), NtStatus.DBG_TERMINATE_PROCESS));
        DebugEvent second = f.next();
        assertTrue(isException(second, NtStatus.of(0xE0000059)), () -> "unexpected " + second);
        assertTrue(f.k32.continueDebugEvent(second.processId(), second.threadId(), NtStatus.DBG_TERMINATE_THREAD));
        // Success-severity answers mean "handled" to DbgkForwardException; Dbgk itself terminates nothing.
        assertEquals(0x58, f.runToExit(p.processId()));
        assertEquals(0, ownHandlerRuns.get());
    }

    @Test
    void s15_59_replyLaterRedeliversTheSameEventAfterEventsQueuedMeanwhile() {
        Workers w = DeliverySupport.launchIdleWorkers(f, "reply-later", 2);
        exitWorker(f, w, 0, 0x590);
        exitWorker(f, w, 1, 0x591);
        DebugEvent first = f.next(DebugEventCode.EXIT_THREAD_DEBUG_EVENT);
        assertEquals(w.workers().get(0).tid(), first.threadId());
        assertTrue(f.k32.continueDebugEvent(first.processId(), first.threadId(), NtStatus.DBG_REPLY_LATER),
                () -> "error " + f.k32.getLastError());
        DebugEvent meanwhile = f.next(DebugEventCode.EXIT_THREAD_DEBUG_EVENT);
        assertEquals(w.workers().get(1).tid(), meanwhile.threadId(), "the event queued meanwhile comes first");
        f.resume(meanwhile);
        DebugEvent again = f.next(DebugEventCode.EXIT_THREAD_DEBUG_EVENT);
        assertEquals(first.processId(), again.processId());
        assertEquals(first.threadId(), again.threadId());
        assertEquals(0x590, exitCode(again));
        f.resume(again);
        assertEquals(0, f.runToExit(w.pid()));

        // An exception replied later comes back as the same first-chance exception.
        ProcessInformation p = f.launch(SimProgram.of("reply-later-exception",
                g -> g.raiseException(0xE0000590, 0, new long[] {7}, ptrs -> ExceptionDisposition.EXECUTE_HANDLER)),
                DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent ex = continueUntil(f, "0xE0000590", e -> isException(e, NtStatus.of(0xE0000590)));
        f.resume(ex, NtStatus.DBG_REPLY_LATER);
        DebugEvent ex2 = f.next();
        assertTrue(isException(ex2, NtStatus.of(0xE0000590)), () -> "unexpected " + ex2);
        assertEquals(ex.threadId(), ex2.threadId());
        assertEquals(record(ex), record(ex2));
        assertTrue(firstChance(ex2));
        f.resume(ex2, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        assertEquals(0, f.runToExit(p.processId()));
    }

    @Test
    void s15_60_replyLaterOnASuspendedThreadWaitsForItsResume() {
        SimProgram program = SimProgram.of("reply-later-suspended", g -> {
            EThread worker = g.createThread(w -> w.raiseException(0xE0000060, 0, null, ptrs -> ExceptionDisposition.EXECUTE_HANDLER));
            g.waitFor("s60.main");
            g.outputDebugStringA("main runs while the worker is held");
            g.waitForThread(worker);
        });
        ProcessInformation p = f.launch(program, DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent ct = continueUntil(f, "CREATE_THREAD", e -> e.code() == DebugEventCode.CREATE_THREAD_DEBUG_EVENT);
        Handle hWorker = ((DebugEventInfo.CreateThreadDebugInfo) ct.info()).thread();
        f.resume(ct);
        DebugEvent ex = continueUntil(f, "0xE0000060", e -> isException(e, NtStatus.of(0xE0000060)));
        assertEquals(ct.threadId(), ex.threadId());

        assertEquals(0, f.k32.suspendThread(hWorker));
        f.resume(ex, NtStatus.DBG_REPLY_LATER);
        f.assertNoEvent((int) POLL.toMillis());
        // Other threads of the process run and report meanwhile.
        f.machine.signal("s60.main");
        DebugEvent ods = f.next(DebugEventCode.OUTPUT_DEBUG_STRING_EVENT);
        assertEquals(p.threadId(), ods.threadId());
        f.resume(ods);
        f.assertNoEvent((int) POLL.toMillis());

        assertEquals(1, f.k32.resumeThread(hWorker));
        DebugEvent again = f.next();
        assertTrue(isException(again, NtStatus.of(0xE0000060)), () -> "unexpected " + again);
        assertEquals(ex.threadId(), again.threadId());
        assertTrue(firstChance(again));
        f.resume(again, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        assertEquals(0, f.runToExit(p.processId()));
    }

    @Test
    void s15_61_replyLaterIsAcceptedAsOnWindowsNotRejectedAsOnReactOS() {
        ProcessInformation p = f.launch(QUIET, DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent e = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_SUCCESS, ntContinue(f, f.dbgUiHandle(), e.processId(), e.threadId(), NtStatus.DBG_REPLY_LATER),
                "ReactOS answers 0xC000000D; Windows 10 accepts DBG_REPLY_LATER");
        DebugEvent again = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals(e.threadId(), again.threadId());
        f.resume(again);
        f.runToExit(p.processId());
    }

    /** A program that runs {@code bytes} from a fresh executable page and exits with what {@code after} returns. */
    private static SimProgram codeProgram(String name, byte[] bytes, AtomicLong codeAddress, CodeCheck after) {
        return SimProgram.of(name, g -> {
            long code = g.allocate(0x1000, PageProtection.PAGE_EXECUTE_READWRITE);
            g.write(code, bytes);
            codeAddress.set(code);
            long stoppedAt = g.execute(code, 16);
            g.exitThread(after.exitCode(code, stoppedAt, g.context()));
        });
    }

    @FunctionalInterface
    private interface CodeCheck {
        int exitCode(long code, long stoppedAt, Amd64Context context);
    }

    @Test
    void s15_62_int3ReportsItsAddressWithIpPastItAndResumesAfterIt() {
        AtomicLong code = new AtomicLong();
        AtomicInteger vectored = new AtomicInteger();
        SimProgram inner = codeProgram("int3", new byte[] {(byte) 0x90, (byte) 0xCC, (byte) 0x90, (byte) 0xC3}, code,
                (at, stoppedAt, ctx) -> stoppedAt == at + 3 ? 0x62 : 1);
        SimProgram program = SimProgram.of("int3", g -> {
            g.addVectoredHandler(ptrs -> {
                vectored.incrementAndGet();
                return ExceptionDisposition.CONTINUE_SEARCH;
            });
            inner.main().run(g);
        });
        ProcessInformation p = f.launch(program, DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        Handle hThread = ((DebugEventInfo.CreateProcessDebugInfo) cp.info()).thread();
        Handle hProcess = ((DebugEventInfo.CreateProcessDebugInfo) cp.info()).process();
        f.resume(cp);
        DebugEvent bp = continueUntil(f, "the int3", e -> isException(e, NtStatus.STATUS_BREAKPOINT) && code.get() != 0
                && record(e).address() == code.get() + 1);
        assertTrue(firstChance(bp));
        assertEquals(code.get() + 2, context(f.k32, hThread).rip(), "IP is the byte after the int3 during the event");
        assertEquals((byte) 0xCC, DeliverySupport.read(f.k32, hProcess, record(bp).address(), 1)[0]);
        f.resume(bp, NtStatus.DBG_CONTINUE);
        assertEquals(0x62, f.runToExit(p.processId()), "execution resumed after the int3 and reached the ret");
        assertEquals(0, vectored.get(), "handled by the debugger: the program's handlers never saw it");
    }

    private static final SimProgram CRASH = SimProgram.of("av", g -> g.read(0x10, 4));

    @Test
    void s15_63_notHandledFirstChanceWithoutHandlerGivesASecondChance() {
        ProcessInformation p = f.launch(CRASH, DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent first = continueUntil(f, "the access violation", e -> isException(e, NtStatus.STATUS_ACCESS_VIOLATION));
        assertTrue(firstChance(first));
        f.resume(first, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        DebugEvent second = f.next();
        assertTrue(isException(second, NtStatus.STATUS_ACCESS_VIOLATION), () -> "unexpected " + second);
        assertFalse(firstChance(second), "dwFirstChance = 0");
        assertEquals(first.threadId(), second.threadId());
        assertEquals(record(first).address(), record(second).address());
        assertEquals(record(first).information(), record(second).information());
        f.resume(second, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        f.runToExit(p.processId());
    }

    @Test
    void s15_64_notHandledSecondChanceKillsTheProcessWithTheExceptionCode() {
        ProcessInformation p = f.launch(CRASH, DebugCreationFlags.DEBUG_PROCESS);
        EProcess process = f.process(p.processId());
        DebugEvent first = continueUntil(f, "the access violation", e -> isException(e, NtStatus.STATUS_ACCESS_VIOLATION));
        f.resume(first, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        DebugEvent second = f.next();
        assertFalse(firstChance(second));
        f.resume(second, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        DebugEvent exit = f.next(DebugEventCode.EXIT_PROCESS_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), exitCode(exit));
        f.resume(exit);
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), SimDebugFixture.awaitExit(process));
    }

    @Test
    void s15_65_secondChanceContinuedWithUnchangedContextFaultsAgain() {
        ProcessInformation p = f.launch(CRASH, DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent first = continueUntil(f, "the access violation", e -> isException(e, NtStatus.STATUS_ACCESS_VIOLATION));
        f.resume(first, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        DebugEvent second = f.next();
        assertFalse(firstChance(second));
        f.resume(second, NtStatus.DBG_CONTINUE);
        DebugEvent again = f.next();
        assertTrue(isException(again, NtStatus.STATUS_ACCESS_VIOLATION), () -> "unexpected " + again);
        assertTrue(firstChance(again), "the faulting instruction ran again: a new first chance");
        assertEquals(record(first), record(again));
        f.resume(again, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        f.resume(f.next(), NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), f.runToExit(p.processId()));
    }

    @Test
    void s15_66_setThreadContextDuringAnExceptionTakesEffect() {
        AtomicLong code = new AtomicLong();
        // int3; ret (where the int3 would resume); ret (where the debugger sends it)
        SimProgram program = codeProgram("set-context", new byte[] {(byte) 0xCC, (byte) 0xC3, (byte) 0xC3}, code,
                (at, stoppedAt, ctx) -> stoppedAt == at + 2 && ctx.get(Amd64Register.RAX) == 0x66 ? 0x66
                        : stoppedAt == at + 1 ? 1 : 2);
        ProcessInformation p = f.launch(program, DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        Handle hThread = ((DebugEventInfo.CreateProcessDebugInfo) cp.info()).thread();
        f.resume(cp);
        DebugEvent bp = continueUntil(f, "the int3", e -> isException(e, NtStatus.STATUS_BREAKPOINT) && code.get() != 0
                && record(e).address() == code.get());
        Amd64Context ctx = context(f.k32, hThread);
        assertEquals(code.get() + 1, ctx.rip());
        assertTrue(f.k32.setThreadContext(hThread, ctx.withRip(code.get() + 2).with(Amd64Register.RAX, 0x66)));
        f.resume(bp, NtStatus.DBG_CONTINUE);
        assertEquals(0x66, f.runToExit(p.processId()));
    }

    @Test
    void s15_67_otherThreadsAreFrozenDuringAnExceptionButNotDuringCreateOrExitProcess() {
        List<EThread> hidden = new java.util.concurrent.CopyOnWriteArrayList<>();
        SimProgram program = SimProgram.of("freeze", g -> {
            EThread worker = g.createThread(w -> {
                w.signal("s67.ready");
                w.waitFor("s67.go");
                w.signal("s67.worker-ran");
            });
            g.waitFor("s67.ready");
            g.raiseException(0xE0000067, 0, null, ptrs -> ExceptionDisposition.EXECUTE_HANDLER);
            g.waitForThread(worker);
            // Outlive the test's hidden threads: a hidden last thread would report no EXIT_PROCESS (§8.4).
            g.waitFor("s67.hidden-created");
            for (EThread t : hidden) {
                g.waitForThread(t);
            }
        });
        ProcessInformation p = f.launch(program, DebugCreationFlags.DEBUG_PROCESS);
        EProcess process = f.process(p.processId());

        // CREATE_PROCESS: no freeze; a thread that starts meanwhile runs (hidden, so it reports nothing itself).
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals(0, process.runState().freezeCount());
        hidden.add(startHiddenThread(process, g -> g.signal("s67.during-create")));
        assertTrue(f.machine.awaitSignal("s67.during-create", SimDebugFixture.TIMEOUT), "a thread was held during CREATE_PROCESS");
        f.resume(cp);

        // EXCEPTION: the rest of the process is frozen until the debugger continues.
        DebugEvent ex = continueUntil(f, "0xE0000067", e -> isException(e, NtStatus.of(0xE0000067)));
        assertEquals(1, process.runState().freezeCount());
        EThread worker = process.threads().stream().filter(t -> t.tid() != p.threadId() && !t.hasExited()
                && t.hasCrossThreadFlag(dev.debugport.kernel.ps.ThreadFlags.THREAD_INSERTED)
                && !t.hasCrossThreadFlag(dev.debugport.kernel.ps.ThreadFlags.HIDE_FROM_DEBUGGER)).findFirst().orElseThrow();
        f.machine.signal("s67.go");
        awaitState(f, worker, SimThreadState.PARKED);
        EThread late = startHiddenThread(process, g -> g.signal("s67.during-exception"));
        hidden.add(late);
        f.machine.signal("s67.hidden-created");
        awaitState(f, late, SimThreadState.PARKED);
        assertFalse(f.machine.isSignalled("s67.worker-ran"), "the worker ran while the exception was out");
        assertFalse(f.machine.isSignalled("s67.during-exception"), "a new thread ran while the exception was out");
        f.resume(ex, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        assertTrue(f.machine.awaitSignal("s67.worker-ran", SimDebugFixture.TIMEOUT));

        // EXIT_PROCESS: sent without a freeze (and only after every other thread, the late one included, ran).
        DebugEvent exit = continueUntil(f, "EXIT_PROCESS", e -> e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT);
        assertTrue(f.machine.isSignalled("s67.during-exception"));
        assertEquals(0, process.runState().freezeCount());
        f.resume(exit);
        assertEquals(0, SimDebugFixture.awaitExit(process));
    }

    private EThread startHiddenThread(EProcess process, GuestCode body) {
        var created = f.kernel.processes().createThread(process, process.image().entryPoint(), body, false, true);
        assertTrue(created.isSuccess(), () -> "thread creation failed: " + created.status());
        assertNotNull(created.value());
        return created.value();
    }
}
