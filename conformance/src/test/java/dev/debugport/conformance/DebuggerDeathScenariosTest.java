package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.ClientId;
import dev.debugport.nt.DbguiWaitStateChange;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.DebugObjectFlags;
import dev.debugport.nt.Handle;
import dev.debugport.nt.InformationClass;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.sim.ExceptionDisposition;
import dev.debugport.sim.SimMachine;
import dev.debugport.sim.SimProgram;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * spec/wine-model-and-scenarios.md Part 2, section F (scenarios 73–89): kill-on-exit, the debugger thread or process
 * dying, AeDebug-style just-in-time debugging, detach semantics and the NT status codes of attach, continue and wait.
 */
class DebuggerDeathScenariosTest extends LifecycleTestBase {
    private static final int DEBUGGER_INACTIVE = NtStatus.STATUS_DEBUGGER_INACTIVE.value();
    private static final int ACCESS_VIOLATION = NtStatus.STATUS_ACCESS_VIOLATION.value();
    private static final long UNMAPPED = 0x10;

    /** A debuggee that says it is ready, then waits for {@code go} and exits with 0. */
    private static SimProgram waiting(String name) {
        return SimProgram.of(name, g -> {
            g.signal(name + ".ready");
            g.waitFor(name + ".go");
        });
    }

    private Handle createObject(int flags) {
        UserPointer<Handle> h = UserPointer.of(Handle.NULL);
        assertEquals(NtStatus.STATUS_SUCCESS, f.dbgk.objects().createDebugObject(f.debuggerThread, ProcessorMode.USER, h,
                AccessMask.DEBUG_OBJECT_ALL_ACCESS, null, flags));
        return h.get();
    }

    private NtStatus setKill(Kernel32 k32, Handle object, int value) {
        return f.dbgk.objects().setInformationDebugObject(k32.thread(), ProcessorMode.USER, object,
                InformationClass.DebugObjectKillProcessOnExitInformation, UserPointer.of(value), Integer.BYTES, null);
    }

    /** Continues {@code debugger}'s events until the signal is set. */
    private void drain(Kernel32 debugger, String signal) {
        long deadline = System.nanoTime() + SimDebugFixture.TIMEOUT.toNanos();
        while (!f.machine.isSignalled(signal)) {
            assertTrue(System.nanoTime() < deadline, () -> "signal " + signal + " never came");
            DebugEvent e = tryNext(debugger, 20);
            if (e != null) {
                continueEvent(debugger, e);
            }
        }
    }

    /**
     * Creates a debuggee under {@code object} (set as the thread's DbgUi object), lets it start, closes the object and
     * clears the slot, and returns the debuggee's exit code.
     */
    private int closeObjectUnderRunningChild(Handle object, String name) {
        f.k32.dbgUi().setThreadDebugObject(object);
        ProcessInformation pi = launch(waiting(name));
        EProcess child = f.process(pi.processId());
        drain(f.k32, name + ".ready");
        assertTrue(f.k32.closeHandle(object));
        f.k32.dbgUi().setThreadDebugObject(Handle.NULL);
        f.machine.signal(name + ".go");
        return SimDebugFixture.awaitExit(child);
    }

    @Test
    void p2_73_objectWithoutKillOnCloseLetsTheChildRunOn() {
        assertEquals(0, closeObjectUnderRunningChild(createObject(0), "f73"));
    }

    @Test
    void p2_74_objectWithKillOnCloseKillsTheChild() {
        assertEquals(DEBUGGER_INACTIVE, closeObjectUnderRunningChild(createObject(DebugObjectFlags.DEBUG_KILL_ON_CLOSE), "f74"));
    }

    @Test
    void p2_75_killSetLaterKillsTheChild() {
        Handle object = createObject(0);
        assertEquals(NtStatus.STATUS_SUCCESS, setKill(f.k32, object, 1));
        assertEquals(DEBUGGER_INACTIVE, closeObjectUnderRunningChild(object, "f75"));
    }

    @Test
    void p2_76_killClearedLaterLetsTheChildRunOn() {
        Handle object = createObject(DebugObjectFlags.DEBUG_KILL_ON_CLOSE);
        assertEquals(NtStatus.STATUS_SUCCESS, setKill(f.k32, object, 0));
        assertEquals(0, closeObjectUnderRunningChild(object, "f76"));
    }

    @Test
    void p2_77_theDbgUiDefaultObjectKillsOnClose() {
        assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().connectToDbg());
        assertEquals(DEBUGGER_INACTIVE, closeObjectUnderRunningChild(f.k32.dbgUi().getThreadDebugObject(), "f77"));
    }

    @Test
    void p2_78_aDebuggerThreadThatExitsClosesItsHandleAndWithoutKillTheChildSurvives() {
        Kernel32 k2 = f.secondDebuggerThread();
        UserPointer<ProcessInformation> info = UserPointer.empty();
        assertTrue(k2.createProcess(waiting("f78"), DEBUG_PROCESS, info));
        EProcess child = f.process(info.get().processId());
        assertTrue(k2.debugSetProcessKillOnExit(false));
        Handle object = k2.dbgUi().getThreadDebugObject();
        drain(k2, "f78.ready");
        f.machine.exitHostThread(k2.thread(), 0);
        assertEquals(NtStatus.STATUS_INVALID_HANDLE, setKill(f.k32, object, 0), "the thread's debug handle was closed by its exit");
        assertFalse(f.isOpen(object));
        f.machine.signal("f78.go");
        assertEquals(0, SimDebugFixture.awaitExit(child));
    }

    @Test
    void p2_79_terminatingTheDebuggerThreadKillsTheDebuggee() {
        Kernel32 k2 = f.secondDebuggerThread();
        UserPointer<ProcessInformation> info = UserPointer.empty();
        assertTrue(k2.createProcess(waiting("f79"), DEBUG_PROCESS, info));
        EProcess child = f.process(info.get().processId());
        Handle object = k2.dbgUi().getThreadDebugObject();
        drain(k2, "f79.ready");
        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.processes().terminateThread(k2.thread(), 0x79));
        f.machine.exitHostThread(k2.thread(), 0x79);
        assertTrue(SimMachine.awaitExit(child, Duration.ofMillis(1500)), "the debuggee ends within 1.5 s");
        assertEquals(DEBUGGER_INACTIVE, child.exitStatus());
        assertFalse(f.isOpen(object), "the handle is gone");
    }

    @Test
    void p2_80_terminatingAThreadThatOnlyConnectedClosesItsHandle() {
        Kernel32 k3 = f.secondDebuggerThread();
        assertEquals(NtStatus.STATUS_SUCCESS, k3.dbgUi().connectToDbg());
        Handle object = k3.dbgUi().getThreadDebugObject();
        assertTrue(f.isOpen(object));
        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.processes().terminateThread(k3.thread(), 0x80));
        f.machine.exitHostThread(k3.thread(), 0x80);
        assertFalse(f.isOpen(object));
        assertEquals(NtStatus.STATUS_INVALID_HANDLE, setKill(f.k32, object, 0));
    }

    // ---- AeDebug-like flows: the crashing program's top-level filter (UnhandledExceptionFilter) starts a JIT
    // debugger and waits for its event; if a debugger is attached by then it lets the exception go on (second
    // chance), otherwise the thread's handler ends the process with the exception code. ----

    private static SimProgram crasher(String name) {
        return SimProgram.of(name, g -> {
            g.tryExcept(x -> x.read(UNMAPPED, 4), p -> {
                g.signal(name + ".crashed");
                g.waitFor(name + ".event");
                UserPointer<Long> port = UserPointer.of(0L);
                g.queryInformationProcess(Handle.CURRENT_PROCESS, InformationClass.ProcessDebugPort, port, 8, null);
                return port.get() != 0 ? ExceptionDisposition.CONTINUE_SEARCH : ExceptionDisposition.EXECUTE_HANDLER;
            });
            g.exitProcess(ACCESS_VIOLATION); // the thread start's __except: ExitProcess(GetExceptionCode())
        });
    }

    private EProcess crash(String name) {
        EProcess p = startPlain(crasher(name));
        assertTrue(f.machine.awaitSignal(name + ".crashed", SimDebugFixture.TIMEOUT));
        return p;
    }

    @Test
    void p2_81_aeDebugWithoutAttachTheChildExitsWithTheAccessViolation() {
        EProcess child = crash("f81");
        f.machine.signal("f81.event");
        assertEquals(ACCESS_VIOLATION, SimDebugFixture.awaitExit(child));
    }

    @Test
    void p2_82_aeDebugAttachThenTheDebuggerExitsWithoutDetachKillsTheChild() {
        EProcess child = crash("f82");
        Kernel32 jit = f.otherDebugger("jit82.exe");
        assertTrue(jit.debugActiveProcess((int) child.pid()), () -> "error " + jit.getLastError());
        f.machine.signal("f82.event");
        f.machine.exitHostThread(jit.thread(), 0);
        assertEquals(DEBUGGER_INACTIVE, SimDebugFixture.awaitExit(child));
    }

    @Test
    void p2_83_aeDebugAttachNoKillThenExitLeavesTheAccessViolation() {
        EProcess child = crash("f83");
        Kernel32 jit = f.otherDebugger("jit83.exe");
        assertTrue(jit.debugActiveProcess((int) child.pid()));
        f.machine.signal("f83.event");
        assertTrue(jit.debugSetProcessKillOnExit(false));
        f.machine.exitHostThread(jit.thread(), 0);
        assertEquals(ACCESS_VIOLATION, SimDebugFixture.awaitExit(child));
    }

    @Test
    void p2_84_aeDebugAttachEventDetachLeavesTheAccessViolation() {
        EProcess child = crash("f84a");
        Kernel32 jit = f.otherDebugger("jit84a.exe");
        assertTrue(jit.debugActiveProcess((int) child.pid()));
        f.machine.signal("f84a.event");
        assertTrue(jit.debugActiveProcessStop((int) child.pid()), () -> "error " + jit.getLastError());
        assertEquals(ACCESS_VIOLATION, SimDebugFixture.awaitExit(child));
        f.machine.exitHostThread(jit.thread(), 0);
    }

    @Test
    void p2_84_aeDebugAttachDetachThenLateEventLeavesTheAccessViolation() {
        EProcess child = crash("f84b");
        Kernel32 jit = f.otherDebugger("jit84b.exe");
        assertTrue(jit.debugActiveProcess((int) child.pid()));
        assertTrue(jit.debugActiveProcessStop((int) child.pid()));
        f.machine.signal("f84b.event");
        assertEquals(ACCESS_VIOLATION, SimDebugFixture.awaitExit(child));
        f.machine.exitHostThread(jit.thread(), 0);
    }

    @Test
    void p2_85_aeDebugAttachProcessEventsThenTheCrashIsReReportedThenDetach() {
        EProcess child = crash("f85");
        int pid = (int) child.pid();
        Kernel32 jit = f.otherDebugger("jit85.exe");
        assertTrue(jit.debugActiveProcess(pid));
        List<DebugEvent> attach = new ArrayList<>();
        DebugEvent bp = until(jit, e -> isException(e, NtStatus.STATUS_BREAKPOINT.value()), attach);
        assertEquals(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT, attach.get(0).code(), "the fake events come in order");
        assertEquals((int) child.threads().getFirst().tid(), attach.get(0).threadId());
        assertEquals(dev.debugport.sim.image.ImageLayout.NTDLL_BASE, ((DebugEventInfo.LoadDllDebugInfo) attach.get(1).info()).baseOfDll());
        assertTrue(jit.continueDebugEvent(bp.processId(), bp.threadId(), NtStatus.DBG_CONTINUE));
        f.machine.signal("f85.event");
        DebugEvent av = until(jit, e -> e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT, null);
        assertEquals(ACCESS_VIOLATION, exceptionCode(av), "the crash is re-reported to the new debugger");
        assertEquals((int) child.threads().getFirst().tid(), av.threadId());
        assertFalse(exception(av).firstChance(), "as the last chance the filter let through");
        assertTrue(jit.debugActiveProcessStop(pid));
        assertEquals(ACCESS_VIOLATION, SimDebugFixture.awaitExit(child));
        f.machine.exitHostThread(jit.thread(), 0);
    }

    // ---- NT status codes ----

    @Test
    void p2_86_detachReleasesPendingEventsAndClearsBeingDebuggedAndTheDebugPort() {
        ProcessInformation pi = launch(SimProgram.of("f86", g -> {
            g.outputDebugStringA("pending");
            g.exitThread(0x86);
        }));
        EProcess process = f.process(pi.processId());
        DebugEvent pending = until(e -> e.code() == DebugEventCode.OUTPUT_DEBUG_STRING_EVENT, null);
        assertEquals(NtStatus.STATUS_PORT_NOT_SET, f.dbgk.detach().removeProcessDebug(f.debuggerThread, ProcessorMode.USER,
                pi.process(), createObject(0)), "not the process's debugger");
        assertTrue(process.peb().beingDebugged());
        assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().stopDebugging(pi.process()));
        assertFalse(process.peb().beingDebugged(), "PEB BeingDebugged = 0");
        UserPointer<Long> port = UserPointer.of(-5L);
        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.processInformation().query(f.debuggerThread, ProcessorMode.USER, pi.process(),
                InformationClass.ProcessDebugPort, port, 8, null));
        assertEquals(0L, port.get(), "ProcessDebugPort = 0");
        assertEquals(0x86, SimDebugFixture.awaitExit(process), "the pending event was released and the debuggee continued");
        assertFalse(f.k32.continueDebugEvent(pending.processId(), pending.threadId(), NtStatus.DBG_CONTINUE));
    }

    @Test
    void p2_87_attachToADebuggedProcessOrToAnExitingOne() {
        ProcessInformation pi = launch(SimProgram.of("f87", g -> {
            g.signal("f87.ready");
            g.waitFor("f87.go");
        }));
        EProcess process = f.process(pi.processId());
        drain(f.k32, "f87.ready");
        Kernel32 second = f.otherDebugger("second87.exe");
        assertEquals(NtStatus.STATUS_SUCCESS, second.dbgUi().connectToDbg());
        Handle h = second.openProcess(AccessMask.PROCESS_ALL_ACCESS, pi.processId());
        assertEquals(NtStatus.STATUS_PORT_ALREADY_SET,
                f.dbgk.attach().debugActiveProcess(second.thread(), ProcessorMode.USER, h, second.dbgUi().getThreadDebugObject()));
        assertFalse(second.debugActiveProcess(pi.processId()));
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, second.getLastError());

        // Hold the process in its EXIT_PROCESS event: its rundown is gone.
        f.machine.signal("f87.go");
        DebugEvent exit = until(e -> e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT, null);
        Kernel32 third = f.otherDebugger("third87.exe");
        assertEquals(NtStatus.STATUS_SUCCESS, third.dbgUi().connectToDbg());
        Handle h3 = third.openProcess(AccessMask.PROCESS_SUSPEND_RESUME, pi.processId());
        assertFalse(h3.isNull());
        assertEquals(NtStatus.STATUS_PROCESS_IS_TERMINATING,
                f.dbgk.attach().debugActiveProcess(third.thread(), ProcessorMode.USER, h3, third.dbgUi().getThreadDebugObject()));
        f.resume(exit);
        assertEquals(0, SimDebugFixture.awaitExit(process));
        f.machine.exitHostThread(second.thread(), 0);
        f.machine.exitHostThread(third.thread(), 0);
    }

    @Test
    void p2_88_continueWithoutAnOutstandingEventIsInvalidParameter() {
        ProcessInformation pi = launch(SimProgram.of("f88", g -> { }));
        Handle object = f.k32.dbgUi().getThreadDebugObject();
        ClientId main = new ClientId(pi.processId(), pi.threadId());
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, f.dbgk.waits().debugContinue(f.debuggerThread, ProcessorMode.USER, object, main,
                NtStatus.DBG_CONTINUE), "CREATE_PROCESS is queued but was never read");
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, f.dbgk.waits().debugContinue(f.debuggerThread, ProcessorMode.USER, object,
                new ClientId(pi.processId(), 0x7777), NtStatus.DBG_CONTINUE), "a tid with no read event");
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, f.dbgk.waits().debugContinue(f.debuggerThread, ProcessorMode.USER, object,
                new ClientId(0x7778, pi.threadId()), NtStatus.DBG_CONTINUE), "a pid with no read event");
        assertEquals(NtStatus.STATUS_SUCCESS, f.dbgk.waits().debugContinue(f.debuggerThread, ProcessorMode.USER, object, main,
                NtStatus.DBG_CONTINUE));
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, f.dbgk.waits().debugContinue(f.debuggerThread, ProcessorMode.USER, object, main,
                NtStatus.DBG_CONTINUE), "continued already");
        assertEquals(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT, cp.code());
        assertEquals(0, f.runToExit(pi.processId()));
    }

    private static boolean isBlocked(Thread t) {
        return t != null && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
    }

    @Test
    void p2_89_waitTimesOutIsInterruptedByUserApcsAndEndsWhenTheObjectDies() throws Exception {
        Handle object = createObject(0);
        UserPointer<DbguiWaitStateChange> sc = UserPointer.of(null);
        assertEquals(NtStatus.STATUS_TIMEOUT, f.dbgk.waits().waitForDebugEvent(f.debuggerThread, ProcessorMode.USER, object, false, 0L, sc));
        assertEquals(DbguiWaitStateChange.ZERO, sc.get(), "output zeroed");

        boolean[] ran = {false};
        f.debuggerThread.waiter().queueUserApc(() -> ran[0] = true);
        UserPointer<DbguiWaitStateChange> sc2 = UserPointer.of(null);
        assertEquals(NtStatus.STATUS_USER_APC, f.dbgk.waits().waitForDebugEvent(f.debuggerThread, ProcessorMode.USER, object, true, null, sc2));
        assertTrue(ran[0], "the APC ran");
        assertEquals(DbguiWaitStateChange.ZERO, sc2.get());

        // Another thread of the debugger blocks in the wait; the last handle is closed under it.
        Kernel32 waiterThread = f.secondDebuggerThread();
        UserPointer<DbguiWaitStateChange> sc3 = UserPointer.of(null);
        AtomicReference<Thread> javaThread = new AtomicReference<>();
        CompletableFuture<NtStatus> blocked = CompletableFuture.supplyAsync(() -> {
            javaThread.set(Thread.currentThread());
            return f.dbgk.waits().waitForDebugEvent(waiterThread.thread(), ProcessorMode.USER, object, false, null, sc3);
        });
        long deadline = System.nanoTime() + SimDebugFixture.TIMEOUT.toNanos();
        while (!isBlocked(javaThread.get()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertFalse(blocked.isDone(), "the waiter is blocked");
        assertTrue(f.k32.closeHandle(object));
        assertEquals(NtStatus.STATUS_DEBUGGER_INACTIVE, blocked.get(SimDebugFixture.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(DbguiWaitStateChange.ZERO, sc3.get());
    }
}
