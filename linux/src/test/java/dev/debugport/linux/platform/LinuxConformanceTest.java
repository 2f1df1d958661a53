package dev.debugport.linux.platform;

import static dev.debugport.linux.platform.LinuxDebugFixture.exceptionCode;
import static dev.debugport.linux.platform.LinuxDebugFixture.isException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.io.FileObject;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.Peb;
import dev.debugport.kernel.ps.Teb;
import dev.debugport.linux.TestPrograms;
import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.Signals;
import dev.debugport.linux.ptrace.WaitStatus;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import dev.debugport.nt.DbgState;
import dev.debugport.nt.DbguiWaitStateChange;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.DebugObjectFlags;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.Handle;
import dev.debugport.nt.InformationClass;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.testing.DebuggerFixture;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The acceptance items of {@code shared/spec/dbgk.md} §15 that can run on Linux, run on Linux: real processes (the C
 * programs of src/test/c) under the same Dbgk, DbgUi and Win32 API as the simulated ones. Method names carry the
 * item number ({@code s15_<n>_...}); scripts/conformance-report lists them as the linux rows.
 */
class LinuxConformanceTest {
    private final LinuxDebugFixture f = new LinuxDebugFixture();

    @AfterEach
    void close() {
        f.close();
    }

    // ---- helpers

    private Handle openProcess(Kernel32 k32, int pid) {
        Handle h = k32.openProcess(AccessMask.PROCESS_ALL_ACCESS, pid);
        assertFalse(h.isNull(), () -> "OpenProcess " + pid + " failed: " + k32.getLastError());
        return h;
    }

    private Handle openProcess(int pid) {
        return openProcess(f.k32, pid);
    }

    private boolean isLoaderBreakpoint(DebugEvent e) {
        ExceptionRecord r = ((DebugEventInfo.ExceptionDebugInfo) e.info()).exceptionRecord();
        EProcess process = f.process(e.processId());
        var dlls = process == null ? new dev.debugport.kernel.ps.ImageInfo[0] : process.systemDlls();
        return r.code() == NtStatus.STATUS_BREAKPOINT.value() && dlls.length > 0 && r.address() >= dlls[0].base()
                && r.address() < dlls[0].end();
    }

    /** Runs to the first exception that is not the loader breakpoint; returns it uncontinued. */
    private DebugEvent nextProgramException() {
        while (true) {
            DebugEvent e = f.skipUntil(DebugEventCode.EXCEPTION_DEBUG_EVENT);
            if (isLoaderBreakpoint(e)) {
                f.resume(e);
                continue;
            }
            return e;
        }
    }

    /** Launches a program that prints "ready" and blocks, runs it under the debugger until it is blocked. */
    private int spawnReady(String program, String... args) {
        int[] s = f.spawnWithPipe(program, args);
        assertEquals("ready", LinuxDebugFixture.readLine(s[1]));
        Posix.close(s[1]);
        return s[0];
    }

    /** DebugActiveProcess, then continues the fake events and the break-in; returns the events. */
    private List<DebugEvent> attachAndSettle(Kernel32 k32, int pid) {
        assertTrue(k32.debugActiveProcess(pid), () -> "DebugActiveProcess failed: " + k32.getLastError());
        return f.resumeThroughBreakpoint();
    }

    private static long readLong(Kernel32 k32, Handle process, long address) {
        byte[] b = new byte[8];
        assertTrue(k32.readProcessMemory(process, address, b, 8, null), () -> "read failed: " + k32.getLastError());
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static int beingDebugged(Kernel32 k32, Handle process) {
        byte[] b = new byte[1];
        assertTrue(k32.readProcessMemory(process, ShadowMemory.PEB + 2, b, 1, null), "the PEB is readable");
        return b[0];
    }

    private static int ntGlobalFlag(Kernel32 k32, Handle process) {
        byte[] b = new byte[4];
        assertTrue(k32.readProcessMemory(process, ShadowMemory.PEB + 0xBC, b, 4, null), "the PEB is readable");
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    // ---- Debug object

    @Test
    void s15_1_newDebugObjectIsNotSignalled() {
        UserPointer<Handle> h = UserPointer.of(Handle.NULL);
        assertEquals(NtStatus.STATUS_SUCCESS, f.dbgk.objects().createDebugObject(f.debuggerThread, ProcessorMode.USER, h,
                AccessMask.DEBUG_OBJECT_ALL_ACCESS, null, 0));
        assertEquals(Kernel32.WAIT_TIMEOUT, f.k32.waitForSingleObject(h.get(), 0));
        f.k32.closeHandle(h.get());
    }

    @Test
    void s15_6_debuggerExitingWithoutDetachKillsTheDebuggeeWith0xC0000354() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "threads", "1", "block").processId();
        EProcess process = f.process(pid);
        DebugEvent ct = f.skipUntil(DebugEventCode.CREATE_THREAD_DEBUG_EVENT);
        f.resume(ct);
        f.platform.exitHostThread(f.debuggerThread, 0);
        assertEquals(NtStatus.STATUS_DEBUGGER_INACTIVE.value(), LinuxDebugFixture.awaitExit(process));
    }

    /** A process created with DEBUG_PROCESS on a debug object with the given flags; the object is the thread's. */
    private int launchOn(int objectFlags, String program, String... args) {
        UserPointer<Handle> h = UserPointer.of(Handle.NULL);
        assertEquals(NtStatus.STATUS_SUCCESS, f.dbgk.objects().createDebugObject(f.debuggerThread, ProcessorMode.USER, h,
                AccessMask.DEBUG_OBJECT_ALL_ACCESS, null, objectFlags));
        f.k32.dbgUi().setThreadDebugObject(h.get());
        return f.launch(DebugCreationFlags.DEBUG_PROCESS, program, args).processId();
    }

    private void closeObjectAndExpectExit(int pid, int expected) {
        EProcess process = f.process(pid);
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        f.resume(cp);
        assertTrue(f.k32.closeHandle(f.k32.dbgUi().getThreadDebugObject()));
        f.k32.dbgUi().setThreadDebugObject(Handle.NULL);
        assertEquals(expected, LinuxDebugFixture.awaitExit(process));
    }

    @Test
    void s15_7_objectWithoutKillOnCloseClosedLeavesTheDebuggeeRunning() {
        int pid = launchOn(0, "exitcode", "5");
        closeObjectAndExpectExit(pid, 5);
    }

    /**
     * Item 82. The debugger closes its last handle (no kill-on-close) while its debuggee keeps creating children: the
     * children created from then on are not debugged, and every creation succeeds. Linux has no hook to hold a fork
     * inside the delete-pending window, so the debuggee forks 300 times in a row and the close lands somewhere in
     * the storm; whatever the interleaving, no child may be left traced, stopped or killed by a breakpoint it never
     * asked for (the parent checks every child's exit code), and the parent must run on to its exit.
     */
    @Test
    void s15_82_childrenCreatedAfterTheLastHandleClosedAreNotDebugged() {
        int pid = launchOn(0, "forkstorm", "300");
        EProcess parent = f.process(pid);
        int children = 0;
        while (children < 3) {
            DebugEvent e = f.next();
            if (e.code() == DebugEventCode.CREATE_PROCESS_DEBUG_EVENT && e.processId() != pid) {
                children++;
            }
            f.resume(e);
        }
        assertTrue(f.k32.closeHandle(f.k32.dbgUi().getThreadDebugObject()));
        f.k32.dbgUi().setThreadDebugObject(Handle.NULL);
        assertEquals(0, LinuxDebugFixture.awaitExit(parent), "every child was created and exited 4");
    }

    @Test
    void s15_8_killOnCloseClearedThroughSetInformationLeavesTheDebuggeeRunning() {
        int pid = launchOn(DebugObjectFlags.DEBUG_KILL_ON_CLOSE, "exitcode", "6");
        assertTrue(f.k32.debugSetProcessKillOnExit(false));
        closeObjectAndExpectExit(pid, 6);
    }

    @Test
    void s15_9_killOnCloseSetThroughSetInformationKillsTheDebuggee() {
        int pid = launchOn(0, "threads", "1", "block");
        assertTrue(f.k32.debugSetProcessKillOnExit(true));
        closeObjectAndExpectExit(pid, NtStatus.STATUS_DEBUGGER_INACTIVE.value());
    }

    @Test
    void s15_10_debugSetProcessKillOnExitFalseThenTheDebuggerExits() {
        int pid = spawnReady("threads", "1", "block");
        Kernel32 other = f.otherDebugger();
        attachAndSettle(f.k32, pid);
        assertTrue(f.k32.debugSetProcessKillOnExit(false));
        f.platform.exitHostThread(f.debuggerThread, 0);
        assertTrue(Posix.kill(pid, 0).isOk(), "still running");
        assertEquals(0, Procfs.tracerPid(pid).orElseThrow(), "no longer traced");
        assertEquals(0, beingDebugged(other, openProcess(other, pid)), "PEB BeingDebugged 0");
    }

    // ---- Attach

    @Test
    void s15_18_attachingToItselfIsAccessDenied() {
        assertFalse(f.k32.debugActiveProcess(f.platform.jvmPid()));
        assertEquals(Win32Error.ERROR_ACCESS_DENIED, f.k32.getLastError());
    }

    @Test
    void s15_19_attachingToTheSystemProcessOrInitIsAccessDenied() {
        assertFalse(f.k32.debugActiveProcess(4));
        assertEquals(Win32Error.ERROR_ACCESS_DENIED, f.k32.getLastError());
        assertFalse(f.k32.debugActiveProcess(1));
        assertEquals(Win32Error.ERROR_ACCESS_DENIED, f.k32.getLastError());
        assertEquals(0, Procfs.tracerPid(1).orElseThrow(), "init untouched");
    }

    @Test
    void s15_22_attachingToADebuggedProcessIsPortAlreadySet() {
        int pid = spawnReady("threads", "2", "block");
        attachAndSettle(f.k32, pid);
        Kernel32 other = f.otherDebugger();
        assertFalse(other.debugActiveProcess(pid));
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, other.getLastError());
        UserPointer<DebugEvent> e = UserPointer.empty();
        assertFalse(other.waitForDebugEventEx(e, 0), "nothing queued on the second object");
        for (var t : f.process(pid).threads()) {
            assertEquals(0, t.runState().suspendCount(), "no thread left suspended");
        }
        assertTrue(f.k32.debugActiveProcessStop(pid));
    }

    /**
     * PEB.NtGlobalFlag (ecosystem.md A.3): a process started under a debugger has the heap-checking flags (0x70) by its
     * initial breakpoint, as its loader sets them on Windows; an attached one keeps 0 (see item 25).
     */
    @Test
    void aProcessLaunchedUnderTheDebuggerHasTheDebugHeapFlags() {
        int pid = f.launch(DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS, "exitcode", "3").processId();
        DebugEvent initial = f.skipUntil(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), ((DebugEventInfo.ExceptionDebugInfo) initial.info()).exceptionRecord().code());
        assertEquals(Peb.DEBUGGED_GLOBAL_FLAGS, ntGlobalFlag(f.k32, openProcess(pid)));
        f.resume(initial);
        assertEquals(3, f.runToExit(pid));
    }

    @Test
    void s15_25_afterAttachTheDebuggerIsPresentInsideAndOutside() {
        int[] s = f.spawnWithPipes("tracerpid");
        int pid = s[0];
        assertEquals("ready", LinuxDebugFixture.readLine(s[2]));
        attachAndSettle(f.k32, pid);
        Handle h = openProcess(pid);
        UserPointer<Boolean> present = UserPointer.of(false);
        assertTrue(f.k32.checkRemoteDebuggerPresent(h, present));
        assertTrue(present.get());
        assertEquals(1, beingDebugged(f.k32, h), "PEB BeingDebugged");
        assertEquals(0, ntGlobalFlag(f.k32, h), "no heap flags after an attach");
        LinuxDebugFixture.writeLine(s[1], "?");
        assertNotEquals("0", LinuxDebugFixture.readLine(s[2]), "the program sees its TracerPid");
        assertTrue(f.k32.debugActiveProcessStop(pid));
        LinuxDebugFixture.writeLine(s[1], "?");
        assertEquals("0", LinuxDebugFixture.readLine(s[2]), "after detach the program sees no tracer");
        assertEquals(0, beingDebugged(f.k32, h));
        Posix.close(s[1]);
        Posix.close(s[2]);
    }

    @Test
    void s15_26_processDebugQueriesAfterAttach() {
        int pid = spawnReady("threads", "1", "block");
        attachAndSettle(f.k32, pid);
        Handle h = openProcess(pid);
        UserPointer<Long> value = UserPointer.of(0L);
        var info = f.kernel.processInformation();
        assertEquals(NtStatus.STATUS_SUCCESS, info.query(f.debuggerThread, ProcessorMode.USER, h, InformationClass.ProcessDebugPort, value, 8, null));
        assertEquals(-1L, value.get());
        assertEquals(NtStatus.STATUS_SUCCESS, info.query(f.debuggerThread, ProcessorMode.USER, h, InformationClass.ProcessDebugObjectHandle, value, 8, null));
        var entry = f.kernel.services().lookupHandle(f.debuggerThread, Handle.of(value.get()));
        assertEquals(f.kernel.services().lookupHandle(f.debuggerThread, f.k32.dbgUi().getThreadDebugObject()).object(), entry.object());
        f.k32.closeHandle(Handle.of(value.get()));
        assertEquals(NtStatus.STATUS_SUCCESS, info.query(f.debuggerThread, ProcessorMode.USER, h, InformationClass.ProcessDebugFlags, value, 4, null));
        assertEquals(0L, value.get());
        assertTrue(f.k32.debugActiveProcessStop(pid));
    }

    /** Item 27: see {@link #fakeEventsInWindowsOrder}. */
    @Test
    void s15_27_fakeEventsInWindowsOrder() {
        fakeEventsInWindowsOrder();
    }

    /** Item 28: see {@link #fakeEventsInWindowsOrder}. */
    @Test
    void s15_28_fakeEventsInWindowsOrder() {
        fakeEventsInWindowsOrder();
    }

    /** Item 29: see {@link #fakeEventsInWindowsOrder}. */
    @Test
    void s15_29_fakeEventsInWindowsOrder() {
        fakeEventsInWindowsOrder();
    }

    /** Items 27, 28, 29, one scenario. */
    private void fakeEventsInWindowsOrder() {
        int pid = spawnReady("threads", "3", "block");
        List<Integer> tasks = List.copyOf(Procfs.tasks(pid).orElseThrow());
        assertTrue(f.k32.debugActiveProcess(pid));
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals(pid, cp.threadId());
        var cpi = (DebugEventInfo.CreateProcessDebugInfo) cp.info();
        assertEquals(0, cpi.startAddress());
        assertEquals(0, cpi.imageName());
        assertTrue(cpi.unicode());
        assertEquals(f.process(pid).image().base(), cpi.baseOfImage());
        var file = f.kernel.services().lookupHandle(f.debuggerThread, cpi.file());
        assertTrue(file.object() instanceof FileObject, "hFile readable");
        byte[] magic = new byte[4];
        assertEquals(4, ((FileObject) file.object()).read(0, magic, 0, 4));
        assertEquals(0x7F, magic[0]);
        assertEquals('E', magic[1]);
        f.k32.closeHandle(cpi.file());
        f.resume(cp);
        DebugEvent ld = f.next(DebugEventCode.LOAD_DLL_DEBUG_EVENT);
        assertEquals(pid, ld.threadId());
        assertTrue(f.pathOf(ld).contains("ld-linux"), "the system DLL right after CREATE_PROCESS");
        f.resume(ld);
        long programBase = f.process(pid).image().base();
        long programEnd = f.process(pid).image().end();
        for (int i = 1; i < tasks.size(); i++) {
            DebugEvent ct = f.next(DebugEventCode.CREATE_THREAD_DEBUG_EVENT);
            assertEquals((int) tasks.get(i), ct.threadId());
            long start = ((DebugEventInfo.CreateThreadDebugInfo) ct.info()).startAddress();
            assertTrue(start >= programBase && start < programEnd, "the thread's start routine");
            f.resume(ct);
        }
        Set<String> modules = new HashSet<>();
        while (true) {
            DebugEvent e = f.next();
            if (e.code() != DebugEventCode.LOAD_DLL_DEBUG_EVENT) {
                assertTrue(isException(e, NtStatus.STATUS_BREAKPOINT.value()), () -> "then the break-in: " + e);
                f.resume(e);
                break;
            }
            assertEquals(pid, e.threadId());
            assertEquals(0, ((DebugEventInfo.LoadDllDebugInfo) e.info()).imageName(), "fake LOAD_DLL: no name");
            String path = f.pathOf(e);
            assertFalse(path.contains("ld-linux"), "no second ld.so");
            modules.add(path);
            f.resume(e);
        }
        assertTrue(modules.stream().anyMatch(p -> p.contains("libc.so")), modules::toString);
        assertTrue(f.k32.debugActiveProcessStop(pid));
    }

    @Test
    void s15_30_fakeEventThreadsStaySuspendedUntilContinued() {
        int pid = spawnReady("threads", "1", "block");
        assertTrue(f.k32.debugActiveProcess(pid));
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        Handle hThread = ((DebugEventInfo.CreateProcessDebugInfo) cp.info()).thread();
        assertTrue(f.k32.suspendThread(hThread) >= 1, "suspended by the attach");
        assertEquals(2, f.k32.resumeThread(hThread));
        assertEquals('t', (char) Procfs.state(pid).orElseThrow());
        f.resume(cp);
        f.resumeThroughBreakpoint();
        LinuxDebugFixture.awaitCondition("the leader runs", () -> Procfs.state(pid).orElse('t') != 't');
        assertTrue(f.k32.debugActiveProcessStop(pid));
    }

    @Test
    void s15_32_threadsCreatedDuringTheAttachAreReportedExactlyOnce() {
        int pid = spawnReady("spawnthreads");
        assertTrue(f.k32.debugActiveProcess(pid));
        Set<Integer> created = new HashSet<>();
        int exits = 0;
        for (int i = 0; i < 200 || exits == 0; i++) {
            DebugEvent e = f.next();
            if (e.code() == DebugEventCode.CREATE_THREAD_DEBUG_EVENT || e.code() == DebugEventCode.CREATE_PROCESS_DEBUG_EVENT) {
                assertTrue(created.add(e.threadId()), () -> "thread " + e.threadId() + " reported twice");
            } else if (e.code() == DebugEventCode.EXIT_THREAD_DEBUG_EVENT) {
                assertTrue(created.contains(e.threadId()), () -> "thread " + e.threadId() + " exits unreported");
                exits++;
            }
            f.resume(e);
        }
        assertTrue(f.k32.debugActiveProcessStop(pid));
    }

    /** Item 35: see {@link #breakInAfterTheFakesAndNotHandledDoesNotKill}. */
    @Test
    void s15_35_breakInAfterTheFakesAndNotHandledDoesNotKill() {
        breakInAfterTheFakesAndNotHandledDoesNotKill();
    }

    /** Item 36: see {@link #breakInAfterTheFakesAndNotHandledDoesNotKill}. */
    @Test
    void s15_36_breakInAfterTheFakesAndNotHandledDoesNotKill() {
        breakInAfterTheFakesAndNotHandledDoesNotKill();
    }

    /** Items 35, 36, one scenario. */
    private void breakInAfterTheFakesAndNotHandledDoesNotKill() {
        int pid = spawnReady("threads", "1", "block");
        assertTrue(f.k32.debugActiveProcess(pid));
        DebugEvent e;
        do {
            e = f.next();
            if (!isException(e, NtStatus.STATUS_BREAKPOINT.value())) {
                assertNotEquals(DebugEventCode.EXCEPTION_DEBUG_EVENT, e.code());
                f.resume(e);
            }
        } while (!isException(e, NtStatus.STATUS_BREAKPOINT.value()));
        f.resume(e, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        f.assertNoEvent(200);
        assertTrue(Posix.kill(pid, 0).isOk(), "still alive");
        assertTrue(f.k32.debugActiveProcessStop(pid));
    }

    @Test
    void s15_37_detachThenAttachAgainDeliversAFullNewSet() {
        int pid = spawnReady("threads", "2", "block");
        List<DebugEvent> first = attachAndSettle(f.k32, pid);
        assertTrue(f.k32.debugActiveProcessStop(pid));
        List<DebugEvent> second = attachAndSettle(f.k32, pid);
        assertEquals(first.stream().map(DebugEvent::code).toList(), second.stream().map(DebugEvent::code).toList());
        assertTrue(f.k32.debugActiveProcessStop(pid));
    }

    // ---- Delivery and waiting

    @Test
    void s15_38_oneEventPerProcessInFlight() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "stress", "2", "50").processId();
        DebugEvent e = nextProgramException();
        f.assertNoEvent(10);
        f.resume(e);
        f.runToExit(pid);
    }

    @Test
    void s15_39_anotherProcessIsDeliveredWhileOneHasItsEventOut() {
        int a = f.launch(DebugCreationFlags.DEBUG_PROCESS, "regs").processId();
        DebugEvent held = null;
        int b = -1;
        while (true) {
            DebugEvent e = f.next();
            if (held == null && e.processId() == a && e.code() == DebugEventCode.CREATE_PROCESS_DEBUG_EVENT) {
                held = e;
                b = f.launch(DebugCreationFlags.DEBUG_PROCESS, "exitcode", "1").processId();
                continue;
            }
            if (e.processId() == b && e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                f.resume(e);
                break;
            }
            assertNotEquals(a, e.processId(), "nothing more of A while its event is out");
            f.resume(e, LinuxDebugFixture.passThrough(e));
        }
        f.resume(held);
        assertEquals(1, f.runToExit(a));
    }

    @Test
    void s15_40_eventsOfOneProcessInQueueOrder() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "int3loop", "20").processId();
        long expected = 0;
        while (true) {
            DebugEvent e = f.next();
            if (isException(e, NtStatus.STATUS_BREAKPOINT.value()) && !isLoaderBreakpoint(e)) {
                assertEquals(expected++, f.context(e.threadId()).get(Amd64Register.RBX));
            }
            f.resume(e);
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                break;
            }
        }
        assertEquals(20, expected);
    }

    @Test
    void s15_41_zeroTimeoutWithNothingDeliverable() {
        f.k32.dbgUi().connectToDbg();
        UserPointer<DbguiWaitStateChange> sc = UserPointer.of(DbguiWaitStateChange.ZERO);
        assertEquals(NtStatus.STATUS_TIMEOUT, f.k32.dbgUi().waitStateChange(sc, 0L));
        assertEquals(DbguiWaitStateChange.ZERO, sc.get());
    }

    /** Item 47: see {@link #createProcessHandlesWorkAndHaveWindowsAccess}. */
    @Test
    void s15_47_createProcessHandlesWorkAndHaveWindowsAccess() {
        createProcessHandlesWorkAndHaveWindowsAccess();
    }

    /** Item 48: see {@link #createProcessHandlesWorkAndHaveWindowsAccess}. */
    @Test
    void s15_48_createProcessHandlesWorkAndHaveWindowsAccess() {
        createProcessHandlesWorkAndHaveWindowsAccess();
    }

    /** Items 47, 48, one scenario. */
    private void createProcessHandlesWorkAndHaveWindowsAccess() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "regs").processId();
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        var info = (DebugEventInfo.CreateProcessDebugInfo) cp.info();
        assertEquals(AccessMask.DEBUGGER_PROCESS_ACCESS, f.kernel.services().lookupHandle(f.debuggerThread, info.process()).grantedAccess());
        assertEquals(AccessMask.DEBUGGER_THREAD_ACCESS, f.kernel.services().lookupHandle(f.debuggerThread, info.thread()).grantedAccess());
        byte[] b = new byte[4];
        assertTrue(f.k32.readProcessMemory(info.process(), info.baseOfImage(), b, 4, null));
        assertEquals('E', b[1]);
        UserPointer<Amd64Context> ctx = UserPointer.empty();
        assertTrue(f.k32.getThreadContext(info.thread(), ctx));
        assertTrue(f.k32.setThreadContext(info.thread(), ctx.get()));
        assertTrue(f.k32.writeProcessMemory(info.process(), info.baseOfImage(), b, 4, null));
        f.resume(cp);
        assertEquals(1, f.runToExit(pid));
    }

    @Test
    void s15_49_breakpointSingleStepAndOtherExceptionsHaveTheirStates() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "regs").processId();
        DbguiWaitStateChange sc = rawUntilException();
        assertEquals(DbgState.BREAKPOINT.value(), sc.newState(), "the loader breakpoint");
        f.k32.dbgUi().continueDebugEvent(sc.appClientId(), NtStatus.DBG_CONTINUE);
        sc = rawUntilException();
        assertEquals(DbgState.BREAKPOINT.value(), sc.newState(), "the program's int3");
        Amd64Context c = f.context((int) sc.appClientId().uniqueThread());
        f.setContext((int) sc.appClientId().uniqueThread(), c.withTrapFlag(true));
        f.k32.dbgUi().continueDebugEvent(sc.appClientId(), NtStatus.DBG_CONTINUE);
        sc = rawUntilException();
        assertEquals(DbgState.SINGLE_STEP.value(), sc.newState());
        f.k32.dbgUi().continueDebugEvent(sc.appClientId(), NtStatus.DBG_CONTINUE);
        assertEquals(1, f.runToExit(pid));
        int segv = f.launch(DebugCreationFlags.DEBUG_PROCESS, "segv").processId();
        sc = rawUntilException();
        f.k32.dbgUi().continueDebugEvent(sc.appClientId(), NtStatus.DBG_CONTINUE);
        sc = rawUntilException();
        assertEquals(DbgState.EXCEPTION.value(), sc.newState(), "an access violation");
        f.k32.dbgUi().continueDebugEvent(sc.appClientId(), NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        f.runToExit(segv);
    }

    /** DbgUiWaitStateChange until an exception state; non-exception state changes are continued. */
    private DbguiWaitStateChange rawUntilException() {
        while (true) {
            UserPointer<DbguiWaitStateChange> sc = UserPointer.of(DbguiWaitStateChange.ZERO);
            assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().waitStateChange(sc, -LinuxDebugFixture.TIMEOUT.toNanos() / 100));
            int state = sc.get().newState();
            if (state == DbgState.EXCEPTION.value() || state == DbgState.BREAKPOINT.value() || state == DbgState.SINGLE_STEP.value()) {
                return sc.get();
            }
            assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().continueDebugEvent(sc.get().appClientId(), NtStatus.DBG_CONTINUE));
        }
    }

    // ---- Continue

    /** Item 54: see {@link #badContinuesFailAndTheEventStaysPending}. */
    @Test
    void s15_54_badContinuesFailAndTheEventStaysPending() {
        badContinuesFailAndTheEventStaysPending();
    }

    /** Item 55: see {@link #badContinuesFailAndTheEventStaysPending}. */
    @Test
    void s15_55_badContinuesFailAndTheEventStaysPending() {
        badContinuesFailAndTheEventStaysPending();
    }

    /** Item 56: see {@link #badContinuesFailAndTheEventStaysPending}. */
    @Test
    void s15_56_badContinuesFailAndTheEventStaysPending() {
        badContinuesFailAndTheEventStaysPending();
    }

    /** Items 54, 55, 56, one scenario. */
    private void badContinuesFailAndTheEventStaysPending() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "exitcode", "0").processId();
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertFalse(f.k32.continueDebugEvent(pid, cp.threadId(), NtStatus.STATUS_SUCCESS));
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, f.k32.getLastError());
        assertFalse(f.k32.continueDebugEvent(pid, cp.threadId(), NtStatus.DBG_CONTROL_C));
        assertFalse(f.k32.continueDebugEvent(pid + 1, cp.threadId(), NtStatus.DBG_CONTINUE));
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, f.k32.getLastError());
        assertFalse(f.k32.continueDebugEvent(pid, cp.threadId() + 1, NtStatus.DBG_CONTINUE));
        f.resume(cp);
        assertFalse(f.k32.continueDebugEvent(pid, cp.threadId(), NtStatus.DBG_CONTINUE), "continued twice");
        assertEquals(0, f.runToExit(pid));
    }

    @Test
    void s15_58_terminateStatusesAreAcceptedAsContinues() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "exitcode", "0").processId();
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        f.resume(cp, NtStatus.DBG_TERMINATE_THREAD);
        DebugEvent ld = f.next(DebugEventCode.LOAD_DLL_DEBUG_EVENT);
        f.resume(ld, NtStatus.DBG_TERMINATE_PROCESS);
        assertEquals(0, f.runToExit(pid));
    }

    @Test
    void s15_59_replyLaterDeliversTheSameEventAgain() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "regs").processId();
        DebugEvent e = nextProgramException();
        f.resume(e, NtStatus.DBG_REPLY_LATER);
        DebugEvent again = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertEquals(e.threadId(), again.threadId());
        assertEquals(exceptionCode(e), exceptionCode(again));
        assertEquals(((DebugEventInfo.ExceptionDebugInfo) e.info()).exceptionRecord().address(),
                ((DebugEventInfo.ExceptionDebugInfo) again.info()).exceptionRecord().address());
        f.resume(again);
        assertEquals(1, f.runToExit(pid));
    }

    @Test
    void s15_62_int3ContinuedResumesAfterIt() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "regs").processId();
        DebugEvent e = nextProgramException();
        long address = ((DebugEventInfo.ExceptionDebugInfo) e.info()).exceptionRecord().address();
        assertEquals(address + 1, f.context(e.threadId()).rip());
        f.resume(e);
        assertEquals(1, f.runToExit(pid), "execution went on after the int3");
    }

    /** Item 63: see {@link #accessViolationNotHandledTwiceEndsTheProcessWithItsCode}. */
    @Test
    void s15_63_accessViolationNotHandledTwiceEndsTheProcessWithItsCode() {
        accessViolationNotHandledTwiceEndsTheProcessWithItsCode();
    }

    /** Item 64: see {@link #accessViolationNotHandledTwiceEndsTheProcessWithItsCode}. */
    @Test
    void s15_64_accessViolationNotHandledTwiceEndsTheProcessWithItsCode() {
        accessViolationNotHandledTwiceEndsTheProcessWithItsCode();
    }

    /** Items 63, 64, one scenario. */
    private void accessViolationNotHandledTwiceEndsTheProcessWithItsCode() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "segv").processId();
        DebugEvent first = nextProgramException();
        f.resume(first, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        DebugEvent second = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertFalse(((DebugEventInfo.ExceptionDebugInfo) second.info()).firstChance());
        f.resume(second, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        DebugEvent exit = f.next(DebugEventCode.EXIT_PROCESS_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), ((DebugEventInfo.ExitProcessDebugInfo) exit.info()).exitCode());
        f.resume(exit);
    }

    @Test
    void s15_65_secondChanceContinuedFaultsAgain() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "segv").processId();
        DebugEvent first = nextProgramException();
        f.resume(first, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        DebugEvent second = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        f.resume(second, NtStatus.DBG_CONTINUE);
        DebugEvent again = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertTrue(((DebugEventInfo.ExceptionDebugInfo) again.info()).firstChance(), "a new first chance");
        assertEquals(((DebugEventInfo.ExceptionDebugInfo) first.info()).exceptionRecord().address(),
                ((DebugEventInfo.ExceptionDebugInfo) again.info()).exceptionRecord().address(), "the same instruction");
        f.resume(again, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        f.resume(f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT), NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), f.runToExit(pid));
    }

    @Test
    void s15_66_setThreadContextDuringAnExceptionTakesEffect() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "segv").processId();
        DebugEvent e = nextProgramException();
        Amd64Context c = f.context(e.threadId());
        f.setContext(e.threadId(), c.withRip(c.get(Amd64Register.RBX)));
        f.resume(e);
        assertEquals(7, f.runToExit(pid), "resumed past the faulting store");
    }

    @Test
    void s15_67_otherThreadsAreFrozenDuringAnException() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "counter").processId();
        Handle h = openProcess(pid);
        DebugEvent e = nextProgramException();
        long counter = f.context(e.threadId()).get(Amd64Register.RAX);
        long before = readLong(f.k32, h, counter);
        for (int tid : Procfs.tasks(pid).orElseThrow()) {
            assertEquals('t', (char) Procfs.state(tid).orElseThrow());
        }
        assertEquals(before, readLong(f.k32, h, counter));
        f.resume(e);
        f.runToExit(pid);
    }

    // ---- Lifecycle events

    @Test
    void s15_68_createProcessThenLoaderModulesThenTheInitialBreakpoint() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "exitcode", "0").processId();
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals(f.process(pid).image().entryPoint(), ((DebugEventInfo.CreateProcessDebugInfo) cp.info()).startAddress());
        f.resume(cp);
        DebugEvent ld = f.next(DebugEventCode.LOAD_DLL_DEBUG_EVENT);
        assertTrue(f.pathOf(ld).contains("ld-linux"));
        f.resume(ld);
        DebugEvent e;
        int loads = 0;
        while ((e = f.next()).code() == DebugEventCode.LOAD_DLL_DEBUG_EVENT) {
            loads++;
            f.resume(e);
        }
        assertTrue(loads >= 1, "the loader's LOAD_DLLs");
        assertTrue(isException(e, NtStatus.STATUS_BREAKPOINT.value()) && isLoaderBreakpoint(e), () -> "initial breakpoint");
        assertEquals(pid, e.threadId(), "on the same thread");
        f.resume(e);
        assertEquals(0, f.runToExit(pid));
    }

    /** Item 69: see {@link #threadCreateAndExitEvents}. */
    @Test
    void s15_69_threadCreateAndExitEvents() {
        threadCreateAndExitEvents();
    }

    /** Item 70: see {@link #threadCreateAndExitEvents}. */
    @Test
    void s15_70_threadCreateAndExitEvents() {
        threadCreateAndExitEvents();
    }

    /** Item 71: see {@link #threadCreateAndExitEvents}. */
    @Test
    void s15_71_threadCreateAndExitEvents() {
        threadCreateAndExitEvents();
    }

    /** Item 72: see {@link #threadCreateAndExitEvents}. */
    @Test
    void s15_72_threadCreateAndExitEvents() {
        threadCreateAndExitEvents();
    }

    /** Items 69, 70, 71, 72, one scenario; each new thread's TEB names it (read as a debugger reads it). */
    private void threadCreateAndExitEvents() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "threads", "2").processId();
        Handle h = openProcess(pid);
        List<DebugEvent> all = new java.util.ArrayList<>();
        while (all.isEmpty() || all.getLast().code() != DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
            DebugEvent e = f.next();
            assertEquals(pid, e.processId());
            all.add(e);
            if (e.code() == DebugEventCode.CREATE_THREAD_DEBUG_EVENT) {
                var ct = (DebugEventInfo.CreateThreadDebugInfo) e.info();
                assertNotEquals(0, ct.threadLocalBase(), "lpThreadLocalBase is its TEB");
                assertNotEquals(0, ct.startAddress());
                assertEquals(ct.threadLocalBase(), readLong(f.k32, h, ct.threadLocalBase() + Teb.SELF_OFFSET));
                assertEquals(pid, readLong(f.k32, h, ct.threadLocalBase() + Teb.CLIENT_ID_OFFSET));
                assertEquals(e.threadId(), readLong(f.k32, h, ct.threadLocalBase() + Teb.CLIENT_ID_OFFSET + 8));
                assertEquals(ShadowMemory.PEB, readLong(f.k32, h, ct.threadLocalBase() + Teb.PEB_OFFSET));
            }
            f.resume(e, DebuggerFixture.passThrough(e));
        }
        for (DebugEvent e : all) {
            if (e.code() == DebugEventCode.EXIT_THREAD_DEBUG_EVENT) {
                assertEquals(0, ((DebugEventInfo.ExitThreadDebugInfo) e.info()).exitCode());
                assertNotEquals(pid, e.threadId(), "the last thread reports only EXIT_PROCESS");
            }
            assertNotEquals(DebugEventCode.UNLOAD_DLL_DEBUG_EVENT, e.code(), "no UNLOAD_DLL at process exit");
        }
        DebugEvent exit = all.getLast();
        assertEquals(pid, exit.threadId(), "the last exiting thread");
        assertEquals(0, ((DebugEventInfo.ExitProcessDebugInfo) exit.info()).exitCode());
    }

    @Test
    void s15_73_loadLibraryAndFreeLibrary() {
        String lib = TestPrograms.path("libsmall.so");
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "dlopen", lib).processId();
        Handle h = openProcess(pid);
        long base = -1;
        while (true) {
            DebugEvent e = f.next();
            if (e.code() == DebugEventCode.LOAD_DLL_DEBUG_EVENT) {
                var ld = (DebugEventInfo.LoadDllDebugInfo) e.info();
                if (f.pathOf(e).equals(lib)) {
                    assertTrue(ld.unicode());
                    assertNotEquals(0, ld.imageName());
                    long p = readLong(f.k32, h, ld.imageName());
                    byte[] s = new byte[lib.length() * 2];
                    assertTrue(f.k32.readProcessMemory(h, p, s, s.length, null));
                    assertEquals(lib, new String(s, java.nio.charset.StandardCharsets.UTF_16LE));
                    base = ld.baseOfDll();
                }
            }
            if (e.code() == DebugEventCode.UNLOAD_DLL_DEBUG_EVENT) {
                assertEquals(base, ((DebugEventInfo.UnloadDllDebugInfo) e.info()).baseOfDll());
                f.resume(e);
                break;
            }
            f.resume(e, LinuxDebugFixture.passThrough(e));
        }
        assertEquals(0, f.runToExit(pid));
    }

    // ---- Children and inheritance

    @Test
    void s15_79_childrenOfADebugProcessDebuggeeAreDebuggedOnTheSameObject() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "forkonly").processId();
        Set<Integer> processes = new HashSet<>();
        while (true) {
            DebugEvent e = f.next();
            if (e.code() == DebugEventCode.CREATE_PROCESS_DEBUG_EVENT) {
                processes.add(e.processId());
            }
            f.resume(e, LinuxDebugFixture.passThrough(e));
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT && e.processId() == pid) {
                assertEquals(4, ((DebugEventInfo.ExitProcessDebugInfo) e.info()).exitCode());
                break;
            }
        }
        assertEquals(2, processes.size(), "parent and child on one wait");
    }

    @Test
    void s15_80_debugOnlyThisProcessLeavesChildrenUndebugged() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS | DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS, "forkonly").processId();
        List<DebugEvent> all = f.collect(pid);
        assertTrue(all.stream().allMatch(e -> e.processId() == pid));
        assertEquals(4, ((DebugEventInfo.ExitProcessDebugInfo) all.getLast().info()).exitCode(), "the child ran untraced");
    }

    @Test
    void s15_81_childrenOfAnAttachedProcessAreNotDebugged() {
        int pid = spawnReady("forkwait");
        attachAndSettle(f.k32, pid);
        assertTrue(Posix.kill(pid, Signals.SIGUSR1).isOk());
        while (true) {
            DebugEvent e = f.next();
            assertNotEquals(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT, e.code(), "no child CREATE_PROCESS");
            f.resume(e, LinuxDebugFixture.passThrough(e));
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                assertEquals(4, ((DebugEventInfo.ExitProcessDebugInfo) e.info()).exitCode(), "the child was not traced");
                break;
            }
        }
    }

    // ---- Detach

    /** Item 85: see {@link #detachLeavesTheTargetRunningUndebugged}. */
    @Test
    void s15_85_detachLeavesTheTargetRunningUndebugged() {
        detachLeavesTheTargetRunningUndebugged();
    }

    /** Item 89: see {@link #detachLeavesTheTargetRunningUndebugged}. */
    @Test
    void s15_89_detachLeavesTheTargetRunningUndebugged() {
        detachLeavesTheTargetRunningUndebugged();
    }

    /** Item 90: see {@link #detachLeavesTheTargetRunningUndebugged}. */
    @Test
    void s15_90_detachLeavesTheTargetRunningUndebugged() {
        detachLeavesTheTargetRunningUndebugged();
    }

    /** Items 85, 89, 90, one scenario. */
    private void detachLeavesTheTargetRunningUndebugged() {
        int pid = spawnReady("forkwait");
        List<DebugEvent> fakes = attachAndSettle(f.k32, pid);
        Handle savedProcess = ((DebugEventInfo.CreateProcessDebugInfo) fakes.getFirst().info()).process();
        Handle h = openProcess(pid);
        assertTrue(f.k32.debugActiveProcessStop(pid));
        UserPointer<Boolean> present = UserPointer.of(true);
        assertTrue(f.k32.checkRemoteDebuggerPresent(h, present));
        assertFalse(present.get());
        assertEquals(0, beingDebugged(f.k32, h), "IsDebuggerPresent in the target");
        assertFalse(f.k32.closeHandle(savedProcess), "kernel32 closed the handles it saved");
        assertTrue(Posix.kill(pid, Signals.SIGUSR1).isOk());
        f.assertNoEvent(300);
        LinuxDebugFixture.awaitCondition("the target exits on its own",
                () -> Procfs.state(pid).map(c -> c == 'Z').orElse(true));
    }

    @Test
    void s15_86_removeProcessDebugOfAnUndebuggedProcess() {
        int pid = spawnReady("threads", "1", "block");
        f.k32.dbgUi().connectToDbg();
        Handle h = openProcess(pid);
        assertEquals(NtStatus.STATUS_PORT_NOT_SET, f.k32.dbgUi().stopDebugging(h));
    }

    @Test
    void s15_87_detachWithAPendingFirstChanceExceptionGoesToTheProgramsHandler() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "segv", "handler").processId();
        EProcess process = f.process(pid);
        DebugEvent e = nextProgramException();
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), exceptionCode(e));
        assertTrue(f.k32.debugActiveProcessStop(pid));
        f.assertNoEvent(100);
        assertEquals(3, LinuxDebugFixture.awaitExit(process), "the handler's exit(3)");
    }

    @Test
    void s15_88_detachWithFakeEventsPendingResumesTheThreads() {
        int pid = spawnReady("threads", "2", "block");
        assertTrue(f.k32.debugActiveProcess(pid));
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertTrue(f.k32.debugActiveProcessStop(pid));
        assertFalse(f.k32.continueDebugEvent(cp.processId(), cp.threadId(), NtStatus.DBG_CONTINUE), "the event is gone");
        f.assertNoEvent(100);
        for (int tid : Procfs.tasks(pid).orElseThrow()) {
            LinuxDebugFixture.awaitCondition("thread " + tid + " runs", () -> Procfs.state(tid).orElse('t') != 't');
            assertEquals(0, Procfs.tracerPid(tid).orElseThrow());
        }
    }

    @Test
    void s15_88a_detachWithAPendingUnhandledAccessViolationEndsTheProcess() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "segv").processId();
        EProcess process = f.process(pid);
        DebugEvent e = nextProgramException();
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), exceptionCode(e));
        assertTrue(f.k32.debugActiveProcessStop(pid));
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), LinuxDebugFixture.awaitExit(process));
        LinuxDebugFixture.awaitCondition("reaped", () -> f.platform.linuxExitStatus(pid).isPresent());
        assertEquals(Signals.SIGSEGV, ((WaitStatus.Killed) f.platform.linuxExitStatus(pid).orElseThrow()).signal());
    }

    // ---- Handles owned by the debugger

    /** Item 91: see {@link #threadHandlesCloseAfterExitFileHandlesStay}. */
    @Test
    void s15_91_threadHandlesCloseAfterExitFileHandlesStay() {
        threadHandlesCloseAfterExitFileHandlesStay();
    }

    /** Item 92: see {@link #threadHandlesCloseAfterExitFileHandlesStay}. */
    @Test
    void s15_92_threadHandlesCloseAfterExitFileHandlesStay() {
        threadHandlesCloseAfterExitFileHandlesStay();
    }

    /** Items 91, 92, one scenario. */
    private void threadHandlesCloseAfterExitFileHandlesStay() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "threads", "1").processId();
        Handle hThread = null;
        Handle hFile = null;
        while (true) {
            DebugEvent e = f.next();
            if (e.code() == DebugEventCode.CREATE_THREAD_DEBUG_EVENT) {
                hThread = ((DebugEventInfo.CreateThreadDebugInfo) e.info()).thread();
            }
            if (e.code() == DebugEventCode.CREATE_PROCESS_DEBUG_EVENT) {
                hFile = ((DebugEventInfo.CreateProcessDebugInfo) e.info()).file();
            }
            f.resume(e);
            if (e.code() == DebugEventCode.EXIT_THREAD_DEBUG_EVENT) {
                assertNotNull(hThread);
                assertFalse(f.k32.closeHandle(hThread), "closed by kernel32 after the EXIT_THREAD continue");
                assertEquals(Win32Error.ERROR_INVALID_HANDLE, f.k32.getLastError());
            }
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                break;
            }
        }
        assertNotNull(f.k32.getFinalPathNameByHandle(hFile), "hFile stays valid");
        assertTrue(f.k32.closeHandle(hFile));
    }

    // ---- Process queries

    /** Item 94: see {@link #processQueriesOnTheDebuggerAndUndebuggedProcesses}. */
    @Test
    void s15_94_processQueriesOnTheDebuggerAndUndebuggedProcesses() {
        processQueriesOnTheDebuggerAndUndebuggedProcesses();
    }

    /** Item 95: see {@link #processQueriesOnTheDebuggerAndUndebuggedProcesses}. */
    @Test
    void s15_95_processQueriesOnTheDebuggerAndUndebuggedProcesses() {
        processQueriesOnTheDebuggerAndUndebuggedProcesses();
    }

    /** Item 97: see {@link #processQueriesOnTheDebuggerAndUndebuggedProcesses}. */
    @Test
    void s15_97_processQueriesOnTheDebuggerAndUndebuggedProcesses() {
        processQueriesOnTheDebuggerAndUndebuggedProcesses();
    }

    /** Items 94, 95, 97, one scenario. */
    private void processQueriesOnTheDebuggerAndUndebuggedProcesses() {
        UserPointer<Boolean> b = UserPointer.of(true);
        assertFalse(f.k32.checkRemoteDebuggerPresent(Handle.NULL, b));
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, f.k32.getLastError());
        assertTrue(b.get(), "untouched");
        f.k32.setLastError(1234);
        assertTrue(f.k32.checkRemoteDebuggerPresent(Handle.CURRENT_PROCESS, b));
        assertFalse(b.get(), "the JVM has no debug port");
        assertEquals(1234, f.k32.getLastError(), "the last error is left alone");
        assertFalse(f.k32.isDebuggerPresent(), "the JVM's PEB says what its TracerPid says");
        int pid = spawnReady("threads", "1", "block");
        Handle h = openProcess(pid);
        UserPointer<Long> value = UserPointer.of(7L);
        assertEquals(NtStatus.STATUS_PORT_NOT_SET, f.kernel.processInformation().query(f.debuggerThread, ProcessorMode.USER, h,
                InformationClass.ProcessDebugObjectHandle, value, 8, null));
        assertEquals(0L, value.get());
    }

    // ---- More items: the debug object's own rules, run on the Linux machine, and a few with real processes

    private NtStatus createObject(UserPointer<Handle> h, int flags) {
        return f.dbgk.objects().createDebugObject(f.debuggerThread, ProcessorMode.USER, h, AccessMask.DEBUG_OBJECT_ALL_ACCESS, null, flags);
    }

    @Test
    void s15_2_invalidFlagsAreRejected() {
        UserPointer<Handle> h = UserPointer.of(Handle.NULL);
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, createObject(h, 0xFFFE));
    }

    @Test
    void s15_3_invalidFlagsZeroTheOutputHandle() {
        UserPointer<Handle> h = UserPointer.of(Handle.of(0x1234));
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, createObject(h, 0x4));
        assertEquals(Handle.NULL, h.get());
    }

    @Test
    void s15_4_invalidOutputAddressCreatesNothing() {
        int before = f.debuggerProcess.handleTable().size();
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION, createObject(UserPointer.invalidAddress(), 0));
        assertEquals(before, f.debuggerProcess.handleTable().size());
    }

    @Test
    void s15_5_connectingTwiceKeepsTheHandle() {
        assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().connectToDbg());
        Handle first = f.k32.dbgUi().getThreadDebugObject();
        assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().connectToDbg());
        assertEquals(first, f.k32.dbgUi().getThreadDebugObject());
    }

    @Test
    void s15_11_killOnExitFromAThreadThatNeverConnected() {
        assertFalse(f.k32.debugSetProcessKillOnExit(false));
        assertEquals(Win32Error.ERROR_INVALID_HANDLE, f.k32.getLastError());
    }

    private NtStatus setInformation(Handle h, int infoClass, int value, int length, UserPointer<Integer> returnLength) {
        return f.dbgk.objects().setInformationDebugObject(f.debuggerThread, ProcessorMode.USER, h, infoClass,
                UserPointer.of(value), length, returnLength);
    }

    private void s15_12_s15_13_s15_14_setInformationValidation() {
        UserPointer<Handle> h = UserPointer.of(Handle.NULL);
        assertEquals(NtStatus.STATUS_SUCCESS, createObject(h, 0));
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, setInformation(h.get(), 0, 1, 4, null));
        UserPointer<Integer> length = UserPointer.of(0);
        assertEquals(NtStatus.STATUS_INFO_LENGTH_MISMATCH, setInformation(h.get(), 1, 1, 8, length));
        assertEquals(4, length.get());
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, setInformation(h.get(), 1, 2, 4, null));
    }

    @Test
    void s15_12_setInformationClass0() {
        s15_12_s15_13_s15_14_setInformationValidation();
    }

    @Test
    void s15_13_setInformationLength8() {
        s15_12_s15_13_s15_14_setInformationValidation();
    }

    @Test
    void s15_14_setInformationValue2() {
        s15_12_s15_13_s15_14_setInformationValidation();
    }

    @Test
    void s15_15_setInformationWithoutSetInformationAccess() {
        UserPointer<Handle> h = UserPointer.of(Handle.NULL);
        assertEquals(NtStatus.STATUS_SUCCESS, f.dbgk.objects().createDebugObject(f.debuggerThread, ProcessorMode.USER, h,
                AccessMask.DEBUG_OBJECT_WAIT_STATE_CHANGE, null, 0));
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, setInformation(h.get(), 1, 1, 4, null));
    }

    @Test
    void s15_16_closingOneOfTwoHandlesChangesNothing() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "threads", "1", "block").processId();
        Handle object = f.k32.dbgUi().getThreadDebugObject();
        var entry = f.kernel.services().lookupHandle(f.debuggerThread, object);
        Handle second = f.kernel.objectManager().openByPointer(f.debuggerProcess.handleTable(), entry.object(), entry.grantedAccess());
        assertTrue(f.k32.closeHandle(second));
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals(pid, cp.processId(), "still debugged, events still queued");
        assertNotNull(f.process(pid).debugPort());
        f.resume(cp);
    }

    @Test
    void s15_17_theDbgUiHandleDiesWithItsThread() {
        int pid = spawnReady("threads", "1", "block");
        Kernel32 other = f.otherDebugger();
        attachAndSettle(f.k32, pid);
        Handle object = f.k32.dbgUi().getThreadDebugObject();
        assertTrue(f.k32.debugSetProcessKillOnExit(false));
        f.platform.exitHostThread(f.debuggerThread, 0);
        assertEquals(NtStatus.STATUS_INVALID_HANDLE, f.kernel.services().close(other.thread(), ProcessorMode.USER, object));
        assertTrue(Posix.kill(pid, 0).isOk(), "the debuggee keeps running");
        assertEquals(0, Procfs.tracerPid(pid).orElseThrow());
    }

    @Test
    void s15_43_anAlertableWaitReturnsForAUserApcAndWaitForDebugEventHidesIt() {
        f.k32.dbgUi().connectToDbg();
        boolean[] ran = {false};
        f.debuggerThread.waiter().queueUserApc(() -> ran[0] = true);
        UserPointer<DbguiWaitStateChange> sc = UserPointer.of(DbguiWaitStateChange.ZERO);
        assertEquals(NtStatus.STATUS_USER_APC, f.k32.dbgUi().waitStateChange(sc, -10_000L * 1000));
        assertTrue(ran[0]);
        f.debuggerThread.waiter().queueUserApc(() -> { });
        f.assertNoEvent(20); // WaitForDebugEvent waits on through the APC and times out
    }

    @Test
    void s15_20_attachNeedsSuspendResumeAccessOnTheProcess() {
        int pid = spawnReady("threads", "1", "block");
        f.k32.dbgUi().connectToDbg();
        Handle limited = f.k32.openProcess(AccessMask.PROCESS_QUERY_INFORMATION, pid);
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, f.dbgk.attach().debugActiveProcess(f.debuggerThread, ProcessorMode.USER,
                limited, f.k32.dbgUi().getThreadDebugObject()));
        assertEquals(0, Procfs.tracerPid(pid).orElseThrow(), "not even seized");
    }

    /**
     * Item 23. On Linux a process whose rundown is gone is a zombie: it has exited and waits for its parent to reap
     * it. PTRACE_SEIZE refuses it (EPERM), which must read as the process terminating, not as access denied.
     */
    @Test
    void s15_23_attachingToAZombieIsProcessIsTerminating() {
        int[] s = f.spawnWithPipe("zombie");
        int child = Integer.parseInt(LinuxDebugFixture.readLine(s[1]));
        assertEquals("ready", LinuxDebugFixture.readLine(s[1]));
        Posix.close(s[1]);
        LinuxDebugFixture.awaitCondition("the child is a zombie", () -> Procfs.state(child).orElse('?') == 'Z');
        f.k32.dbgUi().connectToDbg();
        Handle process = openProcess(child);
        assertEquals(NtStatus.STATUS_PROCESS_IS_TERMINATING, f.dbgk.attach().debugActiveProcess(f.debuggerThread,
                ProcessorMode.USER, process, f.k32.dbgUi().getThreadDebugObject()));
        f.assertNoEvent(50);
        assertFalse(f.k32.debugActiveProcess(child), "the Win32 call fails too");
    }

    /**
     * Item 31. A process with more than 500 loader entries (the program, ld.so as the system DLL, libc, libdl... and
     * 510 distinct shared objects it dlopened): the attach sends ntdll's LOAD_DLL and then module messages for the
     * entries 2 to 499 only, 498 of them, as Windows' DbgkpPostFakeModuleMessages does.
     */
    @Test
    void s15_31_moduleMessagesAreBoundedByFiveHundredLoaderEntries() throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("debugport-manylibs");
        try {
            java.nio.file.Path lib = java.nio.file.Path.of(TestPrograms.path("libsmall.so"));
            for (int i = 0; i < 510; i++) {
                java.nio.file.Files.copy(lib, dir.resolve(String.format("lib%03d.so", i)));
            }
            int pid = spawnReady("manylibs", dir.toString(), "510");
            assertTrue(f.k32.debugActiveProcess(pid), () -> "DebugActiveProcess failed: " + f.k32.getLastError());
            List<dev.debugport.kernel.ps.ImageInfo> loaderList;
            EProcess process = f.process(pid);
            synchronized (process.loaderList()) {
                loaderList = List.copyOf(process.loaderList());
            }
            assertTrue(loaderList.size() > 500, "more than 500 loader entries: " + loaderList.size());
            List<Long> bases = new java.util.ArrayList<>();
            while (true) {
                DebugEvent e = f.next();
                f.resume(e);
                if (e.code() == DebugEventCode.LOAD_DLL_DEBUG_EVENT) {
                    var ld = (DebugEventInfo.LoadDllDebugInfo) e.info();
                    bases.add(ld.baseOfDll());
                    f.k32.closeHandle(ld.file());
                } else if (isException(e, NtStatus.STATUS_BREAKPOINT.value())) {
                    break;
                }
            }
            assertEquals(1 + 498, bases.size(), "the system DLL plus 498 module messages (entries 2..499)");
            assertEquals(loaderList.get(1).base(), bases.getFirst(), "ld.so, the system DLL, first");
            for (int i = 2; i < 500; i++) {
                assertEquals(loaderList.get(i).base(), bases.get(i - 1), "entry " + i);
            }
            assertFalse(bases.contains(loaderList.get(500).base()), "entry 500 is beyond the bound");
        } finally {
            try (var files = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path p : files.toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
            java.nio.file.Files.delete(dir);
        }
    }

    @Test
    void s15_21_aDebugHandleThatIsNotADebugObject() {
        int pid = spawnReady("threads", "1", "block");
        Handle process = openProcess(pid);
        assertEquals(NtStatus.STATUS_OBJECT_TYPE_MISMATCH, f.dbgk.attach().debugActiveProcess(f.debuggerThread, ProcessorMode.USER,
                process, process));
        assertEquals(0, Procfs.tracerPid(pid).orElseThrow());
    }

    @Test
    void s15_42_relativeTimeoutWithNothingArriving() {
        f.k32.dbgUi().connectToDbg();
        long start = System.nanoTime();
        f.assertNoEvent(50);
        assertTrue(System.nanoTime() - start >= 45_000_000L, "waited about the timeout");
    }

    @Test
    void s15_44_waitWithoutWaitAccess() {
        UserPointer<Handle> h = UserPointer.of(Handle.NULL);
        assertEquals(NtStatus.STATUS_SUCCESS, f.dbgk.objects().createDebugObject(f.debuggerThread, ProcessorMode.USER, h,
                AccessMask.DEBUG_OBJECT_ADD_REMOVE_PROCESS, null, 0));
        UserPointer<DbguiWaitStateChange> sc = UserPointer.of(DbguiWaitStateChange.ZERO);
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, f.dbgk.waits().waitForDebugEvent(f.debuggerThread, ProcessorMode.USER, h.get(),
                false, 0L, sc));
        assertFalse(sc.written(), "output untouched");
    }

    @Test
    void s15_45_waitFromAThreadWithoutADebugObject() {
        UserPointer<DebugEvent> e = UserPointer.empty();
        assertFalse(f.k32.waitForDebugEventEx(e, 0));
        assertEquals(Win32Error.ERROR_INVALID_HANDLE, f.k32.getLastError());
    }

    @Test
    void s15_46_theDebugObjectIsSignalledWhenAnEventIsQueued() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "exitcode", "0").processId();
        assertEquals(Kernel32.WAIT_OBJECT_0, f.k32.waitForSingleObject(f.k32.dbgUi().getThreadDebugObject(),
                LinuxDebugFixture.TIMEOUT_MS));
        assertEquals(0, f.runToExit(pid));
    }

    @Test
    void s15_53_closingTheLastHandleWakesAWaiter() throws Exception {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "threads", "1", "block").processId();
        EProcess process = f.process(pid);
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        Handle object = f.k32.dbgUi().getThreadDebugObject();
        var waiter = f.platform.createHostThread("debugger");
        java.util.concurrent.CompletableFuture<NtStatus> waited = new java.util.concurrent.CompletableFuture<>();
        Thread javaThread = Thread.ofPlatform().daemon(true).start(() -> {
            UserPointer<DbguiWaitStateChange> sc = UserPointer.of(DbguiWaitStateChange.ZERO);
            // The same process's handle, waited on from another thread of the debugger (the object has one event out).
            waited.complete(f.dbgk.waits().waitForDebugEvent(waiter, ProcessorMode.USER, object, false, null, sc));
        });
        LinuxDebugFixture.awaitCondition("the waiter blocks", () -> javaThread.getState() == Thread.State.WAITING);
        assertTrue(f.k32.closeHandle(object));
        f.k32.dbgUi().setThreadDebugObject(Handle.NULL);
        assertEquals(NtStatus.STATUS_DEBUGGER_INACTIVE, waited.get(LinuxDebugFixture.TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS));
        assertEquals(NtStatus.STATUS_DEBUGGER_INACTIVE.value(), LinuxDebugFixture.awaitExit(process));
        assertEquals(pid, cp.processId());
    }

    @Test
    void s15_57_continuingAnEventNeverDelivered() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "exitcode", "0").processId();
        assertFalse(f.k32.continueDebugEvent(pid, pid, NtStatus.DBG_CONTINUE));
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, f.k32.getLastError());
        assertEquals(0, f.runToExit(pid));
    }

    @Test
    void s15_60_replyLaterOnASuspendedThreadWaitsForItsResume() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "regs").processId();
        DebugEvent e = nextProgramException();
        Handle thread = f.k32.openThread(AccessMask.THREAD_ALL_ACCESS, e.threadId());
        assertEquals(0, f.k32.suspendThread(thread));
        f.resume(e, NtStatus.DBG_REPLY_LATER);
        f.assertNoEvent(200);
        assertEquals(1, f.k32.resumeThread(thread));
        DebugEvent again = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertEquals(e.threadId(), again.threadId());
        f.resume(again);
        assertEquals(1, f.runToExit(pid));
    }

    @Test
    void s15_76_aThreadHiddenFromTheDebuggerReportsNothing() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "regs").processId();
        EProcess process = f.process(pid);
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        Handle thread = ((DebugEventInfo.CreateProcessDebugInfo) cp.info()).thread();
        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.processInformation().hideFromDebugger(f.debuggerThread, ProcessorMode.USER, thread, 0));
        f.resume(cp);
        // Its int3 goes straight to the program, which has no SIGTRAP handler: the process dies, unreported.
        while (true) {
            UserPointer<DebugEvent> e = UserPointer.empty();
            if (!f.k32.waitForDebugEventEx(e, 300)) {
                break;
            }
            assertNotEquals(DebugEventCode.EXCEPTION_DEBUG_EVENT, e.get().code(), () -> "reported: " + e.get());
            assertNotEquals(DebugEventCode.EXIT_PROCESS_DEBUG_EVENT, e.get().code());
            f.resume(e.get());
        }
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), LinuxDebugFixture.awaitExit(process));
    }

    @Test
    void s15_77_suppressDebugMsgInTheTebHidesMappings() {
        String lib = TestPrograms.path("libsmall.so");
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "dlopen", lib).processId();
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        var teb = f.kernel.clientIds().thread(cp.threadId()).teb();
        teb.setSameTebFlags(teb.sameTebFlags() | dev.debugport.kernel.ps.Teb.SUPPRESS_DEBUG_MSG);
        f.resume(cp);
        List<DebugEvent> rest = f.collect(pid);
        long loads = rest.stream().filter(e -> e.code() == DebugEventCode.LOAD_DLL_DEBUG_EVENT).map(f::pathOf)
                .filter(p -> !p.contains("ld-linux")).count();
        assertEquals(0, loads, "no LOAD_DLL from the thread's mappings");
    }

    @Test
    void s15_78_theProgramItselfIsNeverALoadDll() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "exitcode", "0").processId();
        String exe = TestPrograms.path("exitcode");
        List<DebugEvent> all = f.collect(pid);
        assertTrue(all.stream().filter(e -> e.code() == DebugEventCode.LOAD_DLL_DEBUG_EVENT).map(f::pathOf).noneMatch(exe::equals));
    }

    @Test
    void s15_93_aDiscardedLoadDllLeaksNoHandle() {
        int pid = spawnReady("threads", "1", "block");
        f.k32.dbgUi().connectToDbg();
        int before = f.debuggerProcess.handleTable().size();
        assertTrue(f.k32.debugActiveProcess(pid));
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        var info = (DebugEventInfo.CreateProcessDebugInfo) cp.info();
        f.k32.closeHandle(info.file());
        assertTrue(f.k32.debugActiveProcessStop(pid), "with LOAD_DLLs still queued");
        assertEquals(before, f.debuggerProcess.handleTable().size(), "no handle left behind");
    }
}
