package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.dbgk.DebugObject;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.Handle;
import dev.debugport.nt.InformationClass;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.sim.SimProgram;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import org.junit.jupiter.api.Test;

/**
 * spec/dbgk.md §15 items 6–17: kill-on-close (the debugger closing its last handle or exiting),
 * NtSetInformationDebugObject, DebugSetProcessKillOnExit, and handles that are not the last one.
 */
class KillOnCloseAndSetInformationTest extends AttachTestSupport {
    /** After the debugger let it go, the target checks IsDebuggerPresent and reports it. */
    private static final String CHECK = "target.check";
    private static final String STILL_DEBUGGED = "target.debugged";
    private static final String NOT_DEBUGGED = "target.notDebugged";

    /** A program that waits for {@link #CHECK}, reports IsDebuggerPresent, waits for {@link #EXIT}, exits 0x55. */
    private static SimProgram survivor() {
        return SimProgram.of("survivor", g -> {
            g.waitFor(CHECK);
            report(g, g.isDebuggerPresent(), STILL_DEBUGGED, NOT_DEBUGGED);
            g.waitFor(EXIT);
            g.exitThread(MAIN_EXIT);
        });
    }

    private NtStatus setKill(Handle object, int value) {
        return f.dbgk.objects().setInformationDebugObject(f.debuggerThread, ProcessorMode.USER, object,
                InformationClass.DebugObjectKillProcessOnExitInformation, UserPointer.of(value), Integer.BYTES, null);
    }

    /** CreateProcess(DEBUG_PROCESS) with {@code object} as the thread's debug object, then past the initial breakpoint. */
    private EProcess launchWith(Handle object) {
        f.k32.dbgUi().setThreadDebugObject(object);
        ProcessInformation pi = f.launch(survivor(), DebugCreationFlags.DEBUG_PROCESS);
        continuePastInitialBreakpoint(f.k32);
        return f.process(pi.processId());
    }

    /** The debugger closes its handle and forgets it (as Wine's test does). */
    private void closeObject(Handle object) {
        assertTrue(f.k32.closeHandle(object));
        f.k32.dbgUi().setThreadDebugObject(Handle.NULL);
    }

    /** The target is no longer debugged, says so itself, and exits with its own code. */
    private void assertSurvives(EProcess target) {
        assertNull(target.debugPort());
        assertFalse(target.hasExited());
        f.machine.signal(CHECK);
        awaitSignal(NOT_DEBUGGED);
        assertFalse(f.machine.isSignalled(STILL_DEBUGGED));
        f.machine.signal(EXIT);
        assertEquals(MAIN_EXIT, SimDebugFixture.awaitExit(target));
    }

    @Test
    void s15_6_dbgUiDebuggerExitingKillsTheDebuggee() {
        Kernel32 debugger = f.otherDebugger("windbg.exe");
        ProcessInformation pi = launch(debugger);
        continuePastInitialBreakpoint(debugger);
        EProcess target = f.process(pi.processId());
        assertFalse(target.hasExited());
        f.machine.exitHostThread(debugger.thread(), 0);
        assertEquals(NtStatus.STATUS_DEBUGGER_INACTIVE.value(), SimDebugFixture.awaitExit(target));
    }

    private static ProcessInformation launch(Kernel32 debugger) {
        UserPointer<ProcessInformation> info = UserPointer.empty();
        assertTrue(debugger.createProcess(survivor(), DebugCreationFlags.DEBUG_PROCESS, info), () -> "error " + debugger.getLastError());
        return info.get();
    }

    @Test
    void s15_7_objectWithoutKillOnCloseLeavesTheDebuggeeRunning() {
        Handle object = createObject(AccessMask.DEBUG_OBJECT_ALL_ACCESS, 0);
        EProcess target = launchWith(object);
        assertSame(object(object), target.debugPort());
        closeObject(object);
        assertSurvives(target);
    }

    @Test
    void s15_8_killOnCloseClearedBySetInformationLeavesTheDebuggeeRunning() {
        Handle object = createObject(AccessMask.DEBUG_OBJECT_ALL_ACCESS, 1);
        assertEquals(DebugObject.KILL_ON_CLOSE, object(object).flags() & DebugObject.KILL_ON_CLOSE);
        assertEquals(NtStatus.STATUS_SUCCESS, setKill(object, 0));
        assertEquals(0, object(object).flags() & DebugObject.KILL_ON_CLOSE);
        EProcess target = launchWith(object);
        closeObject(object);
        assertSurvives(target);
    }

    @Test
    void s15_9_killOnCloseSetBySetInformationKillsTheDebuggee() {
        Handle object = createObject(AccessMask.DEBUG_OBJECT_ALL_ACCESS, 0);
        assertEquals(NtStatus.STATUS_SUCCESS, setKill(object, 1));
        EProcess target = launchWith(object);
        closeObject(object);
        assertEquals(NtStatus.STATUS_DEBUGGER_INACTIVE.value(), SimDebugFixture.awaitExit(target));
    }

    @Test
    void s15_10_debugSetProcessKillOnExitFalseThenDebuggerExits() {
        Kernel32 debugger = f.otherDebugger("windbg.exe");
        ProcessInformation pi = launch(debugger);
        continuePastInitialBreakpoint(debugger);
        EProcess target = f.process(pi.processId());
        assertTrue(target.peb().beingDebugged());
        assertTrue(debugger.debugSetProcessKillOnExit(false));
        f.machine.exitHostThread(debugger.thread(), 0);
        assertFalse(target.peb().beingDebugged(), "PEB BeingDebugged is cleared when the object closes");
        assertSurvives(target);
    }

    @Test
    void s15_11_debugSetProcessKillOnExitWithoutConnectionFails() {
        Kernel32 never = f.secondDebuggerThread();
        never.setLastError(0);
        assertFalse(never.debugSetProcessKillOnExit(false));
        assertEquals(Win32Error.ERROR_INVALID_HANDLE, never.getLastError());
        assertFalse(never.debugSetProcessKillOnExit(true));
        assertEquals(Win32Error.ERROR_INVALID_HANDLE, never.getLastError());
    }

    @Test
    void s15_12_setInformationClassZeroIsInvalidParameter() {
        Handle object = createObject(AccessMask.DEBUG_OBJECT_ALL_ACCESS, 1);
        UserPointer<Integer> returnLength = UserPointer.of(0x77);
        NtStatus s = f.dbgk.objects().setInformationDebugObject(f.debuggerThread, ProcessorMode.USER, object,
                InformationClass.DebugObjectUnusedInformation, UserPointer.of(0), Integer.BYTES, returnLength);
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, s, "Windows: 0xC000000D, not ReactOS's 0xC0000003");
        assertEquals(DebugObject.KILL_ON_CLOSE, object(object).flags() & DebugObject.KILL_ON_CLOSE, "nothing changed");
    }

    @Test
    void s15_13_setInformationWithLengthEightReportsFour() {
        Handle object = createObject(AccessMask.DEBUG_OBJECT_ALL_ACCESS, 1);
        UserPointer<Integer> returnLength = UserPointer.of(0x77);
        NtStatus s = f.dbgk.objects().setInformationDebugObject(f.debuggerThread, ProcessorMode.USER, object,
                InformationClass.DebugObjectKillProcessOnExitInformation, UserPointer.of(0), 8, returnLength);
        assertEquals(NtStatus.STATUS_INFO_LENGTH_MISMATCH, s);
        assertEquals(4, returnLength.get());
        assertEquals(DebugObject.KILL_ON_CLOSE, object(object).flags() & DebugObject.KILL_ON_CLOSE, "nothing changed");
    }

    @Test
    void s15_14_setInformationValueTwoIsInvalidParameter() {
        Handle object = createObject(AccessMask.DEBUG_OBJECT_ALL_ACCESS, 0);
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, setKill(object, 2));
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, setKill(object, 3));
        assertEquals(0, object(object).flags() & DebugObject.KILL_ON_CLOSE, "nothing changed");
    }

    @Test
    void s15_15_setInformationNeedsDebugObjectSetInformationAccess() {
        Handle object = createObject(AccessMask.DEBUG_OBJECT_ALL_ACCESS & ~AccessMask.DEBUG_OBJECT_SET_INFORMATION, 0);
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, setKill(object, 1));
        assertEquals(0, object(object).flags() & DebugObject.KILL_ON_CLOSE, "nothing changed");
        // The wait right alone (ReactOS's check) is not enough either.
        Handle waitOnly = createObject(AccessMask.DEBUG_OBJECT_WAIT_STATE_CHANGE, 0);
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, setKill(waitOnly, 1));
        Handle setOnly = createObject(AccessMask.DEBUG_OBJECT_SET_INFORMATION, 0);
        assertEquals(NtStatus.STATUS_SUCCESS, setKill(setOnly, 1));
    }

    @Test
    void s15_16_closingOneOfTwoHandlesChangesNothing() {
        f.launch(survivor(), DebugCreationFlags.DEBUG_PROCESS);
        Handle first = f.k32.dbgUi().getThreadDebugObject();
        DebugObject object = object(first);
        // Wait until the debuggee's CREATE_PROCESS is queued (the object is signalled).
        assertEquals(Kernel32.WAIT_OBJECT_0, f.k32.waitForSingleObject(first, SimDebugFixture.TIMEOUT_MS));
        Handle second = f.kernel.objectManager().openByPointer(f.debuggerProcess.handleTable(), object, AccessMask.DEBUG_OBJECT_ALL_ACCESS);
        assertNotEquals(first, second);
        int queued = object.queuedEventCount();
        assertTrue(queued > 0);
        EProcess target = f.kernel.clientIds().allProcesses().stream().filter(p -> p.debugPort() == object).findFirst().orElseThrow();

        assertTrue(f.k32.closeHandle(first));
        assertSame(object, target.debugPort(), "no detach");
        assertFalse(target.hasExited(), "no kill");
        assertEquals(0, object.flags() & DebugObject.DELETE_PENDING);
        assertEquals(queued, object.queuedEventCount(), "events stay queued");

        f.k32.dbgUi().setThreadDebugObject(second);
        DebugEvent e = next(f.k32, DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals((int) target.pid(), e.processId());
        resume(f.k32, e);
        continuePastInitialBreakpoint(f.k32);
        assertTrue(f.k32.debugSetProcessKillOnExit(false));
        closeObject(second);
        assertSurvives(target);
    }

    @Test
    void s15_17_exitOfTheOwningThreadClosesItsDbgUiHandle() {
        Kernel32 owner = f.secondDebuggerThread();
        ProcessInformation pi = launch(owner);
        continuePastInitialBreakpoint(owner);
        EProcess target = f.process(pi.processId());
        assertTrue(owner.debugSetProcessKillOnExit(false));
        Handle h = owner.dbgUi().getThreadDebugObject();
        assertTrue(f.isOpen(h));

        f.machine.exitHostThread(owner.thread(), 0);
        assertFalse(f.isOpen(h), "PspExitThread closes TEB.DbgSsReserved[1]");
        // Any later use of the value fails (the handle table is the process's, so another thread can try).
        assertEquals(NtStatus.STATUS_INVALID_HANDLE, setKill(h, 0));
        assertEquals(NtStatus.STATUS_INVALID_HANDLE, f.dbgk.waits().waitForDebugEvent(f.debuggerThread, ProcessorMode.USER, h, false, 0L,
                UserPointer.of(dev.debugport.nt.DbguiWaitStateChange.ZERO)));
        assertSurvives(target);
    }
}
