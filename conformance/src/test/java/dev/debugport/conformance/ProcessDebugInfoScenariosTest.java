package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessTraits;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * spec/wine-model-and-scenarios.md Part 2, section B (scenarios 18–31): ProcessDebugPort, ProcessDebugObjectHandle,
 * ProcessDebugFlags, CheckRemoteDebuggerPresent / IsDebuggerPresent, and ThreadHideFromDebugger.
 */
class ProcessDebugInfoScenariosTest extends AttachTestSupport {

    private NtStatus query(Handle process, int infoClass, UserPointer<Long> buffer, int length, UserPointer<Integer> returnLength) {
        return f.kernel.processInformation().query(f.debuggerThread, ProcessorMode.USER, process, infoClass, buffer, length, returnLength);
    }

    /** The value of a class that must be queryable with its natural length. */
    private long value(Handle process, int infoClass) {
        UserPointer<Long> v = UserPointer.of(0x5555L);
        int length = infoClass == InformationClass.ProcessDebugFlags ? 4 : 8;
        assertEquals(NtStatus.STATUS_SUCCESS, query(process, infoClass, v, length, null));
        return v.get();
    }

    /** A child that waits for {@link #EXIT}; launched with the given creation flags from the fixture's debugger. */
    private ProcessInformation launchIdle(int flags) {
        return f.launch(idleTarget("child", 0), flags);
    }

    // ---- ProcessDebugPort (18–20) ----

    @Test
    void p2_18_debugPortOfSelfIsZero() {
        UserPointer<Long> port = UserPointer.of(0x5555L);
        UserPointer<Integer> len = UserPointer.of(0);
        assertEquals(NtStatus.STATUS_SUCCESS, query(Handle.CURRENT_PROCESS, InformationClass.ProcessDebugPort, port, 8, len));
        assertEquals(0L, port.get());
        assertEquals(8, len.get(), "sizeof(ULONG_PTR)");
    }

    @Test
    void p2_19_debugPortOfADebuggedChildIsAllOnes() {
        ProcessInformation pi = launchIdle(DebugCreationFlags.DEBUG_PROCESS);
        assertEquals(-1L, value(pi.process(), InformationClass.ProcessDebugPort), "~0, not a handle");
    }

    @Test
    void p2_20_debugPortParameterErrors() {
        UserPointer<Integer> len = UserPointer.of(0x77);
        assertEquals(NtStatus.STATUS_INFO_LENGTH_MISMATCH, query(Handle.CURRENT_PROCESS, InformationClass.ProcessDebugPort,
                UserPointer.invalidAddress(), 0, len), "NULL buffer, length 0");
        for (int length : new int[] {7, 9}) {
            UserPointer<Long> buffer = UserPointer.of(0x5555L);
            assertEquals(NtStatus.STATUS_INFO_LENGTH_MISMATCH, query(Handle.CURRENT_PROCESS, InformationClass.ProcessDebugPort, buffer, length, len));
            assertFalse(len.written(), "ReturnLength untouched");
            assertFalse(buffer.written());
        }
        assertEquals(NtStatus.STATUS_INVALID_HANDLE, query(Handle.NULL, InformationClass.ProcessDebugPort, UserPointer.of(0L), 8, null));
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION, query(Handle.CURRENT_PROCESS, InformationClass.ProcessDebugPort,
                UserPointer.invalidAddress(), 8, null), "NULL buffer with the right length");
    }

    // ---- ProcessDebugObjectHandle (21–23) ----

    @Test
    void p2_21_debugObjectHandleOfSelfIsPortNotSet() {
        UserPointer<Long> h = UserPointer.of(0x5555L);
        UserPointer<Integer> len = UserPointer.of(0);
        assertEquals(NtStatus.STATUS_PORT_NOT_SET, query(Handle.CURRENT_PROCESS, InformationClass.ProcessDebugObjectHandle, h, 8, len));
        assertEquals(0L, h.get(), "the output handle is set to NULL");
        assertEquals(8, len.get(), "sizeof(HANDLE)");
    }

    @Test
    void p2_22_debugObjectHandleOfADebuggedChild() {
        ProcessInformation pi = launchIdle(DebugCreationFlags.DEBUG_PROCESS);
        int handles = f.debuggerHandleCount();
        Handle h = Handle.of(value(pi.process(), InformationClass.ProcessDebugObjectHandle));
        assertFalse(h.isNull());
        assertEquals(handles + 1, f.debuggerHandleCount(), "a new handle the caller owns");
        assertSame(object(f.k32.dbgUi().getThreadDebugObject()), object(h));
        assertTrue(f.k32.closeHandle(h));
        assertEquals(handles, f.debuggerHandleCount());
    }

    @Test
    void p2_23_debugObjectHandleWithBadPointers() {
        ProcessInformation pi = launchIdle(DebugCreationFlags.DEBUG_PROCESS);
        int handles = f.debuggerHandleCount();
        UserPointer<Long> misaligned = UserPointer.misaligned();
        assertEquals(NtStatus.STATUS_DATATYPE_MISALIGNMENT, query(pi.process(), InformationClass.ProcessDebugObjectHandle, misaligned, 8, null));
        assertFalse(misaligned.written());
        UserPointer<Long> buffer = UserPointer.of(0x5555L);
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION, query(pi.process(), InformationClass.ProcessDebugObjectHandle, buffer,
                8, UserPointer.invalidAddress()));
        assertFalse(buffer.written(), "buffer untouched");
        assertEquals(0x5555L, buffer.get());
        assertEquals(handles, f.debuggerHandleCount(), "no handle opened");
    }

    // ---- ProcessDebugFlags (24–28) ----

    @Test
    void p2_24_debugFlagsOfSelfIsOne() {
        assertEquals(1L, value(Handle.CURRENT_PROCESS, InformationClass.ProcessDebugFlags));
    }

    @Test
    void p2_25_debugFlagsOfChildrenFollowTheCreationFlags() {
        assertEquals(1L, value(launchIdle(DebugCreationFlags.DEBUG_PROCESS).process(), InformationClass.ProcessDebugFlags));
        assertEquals(0L, value(launchIdle(DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS).process(), InformationClass.ProcessDebugFlags));
        assertEquals(0L, value(launchIdle(DebugCreationFlags.DEBUG_PROCESS | DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS).process(),
                InformationClass.ProcessDebugFlags));
    }

    @Test
    void p2_26_attachClearsDebugInherit() {
        ProcessInformation pi = f.launch(idleTarget("suspended", 0), DebugCreationFlags.CREATE_SUSPENDED);
        assertEquals(1L, value(pi.process(), InformationClass.ProcessDebugFlags));
        assertTrue(f.k32.debugActiveProcess(pi.processId()));
        assertEquals(0L, value(pi.process(), InformationClass.ProcessDebugFlags));
        drain(f.k32, 200);
    }

    @Test
    void p2_27_debugFlagsAfterDetachReattachAndExit() {
        EProcess target = startIdle(0);
        Handle process = openProcess(target, AccessMask.PROCESS_ALL_ACCESS);
        assertEquals(1L, value(process, InformationClass.ProcessDebugFlags));
        assertTrue(f.k32.debugActiveProcess((int) target.pid()));
        drain(f.k32, 200);
        assertEquals(0L, value(process, InformationClass.ProcessDebugFlags));
        assertTrue(f.k32.debugActiveProcessStop((int) target.pid()));
        assertEquals(0L, value(process, InformationClass.ProcessDebugFlags), "unchanged by the detach");
        assertTrue(f.k32.debugActiveProcess((int) target.pid()));
        drain(f.k32, 200);
        assertEquals(0L, value(process, InformationClass.ProcessDebugFlags));
        f.machine.signal(EXIT);
        assertEquals(MAIN_EXIT, f.runToExit((int) target.pid()));
        assertEquals(MAIN_EXIT, SimDebugFixture.awaitExit(target));
        assertEquals(0L, value(process, InformationClass.ProcessDebugFlags), "still readable after termination");
    }

    @Test
    void p2_28_reattachToASuspendedMainThreadAddsTheFakeEventsSuspension() {
        EProcess target = startIdle(0);
        assertTrue(f.k32.debugActiveProcess((int) target.pid()));
        drain(f.k32, 200);
        assertTrue(f.k32.debugActiveProcessStop((int) target.pid()));

        EThread main = target.threads().getFirst();
        Handle hMain = f.k32.openThread(AccessMask.THREAD_SUSPEND_RESUME, (int) main.tid());
        assertEquals(0, f.k32.suspendThread(hMain));
        assertTrue(f.k32.debugActiveProcess((int) target.pid()));
        assertEquals(2, f.k32.resumeThread(hMain), "the fake CREATE_PROCESS holds an extra suspension");
        DebugEvent cp = next(f.k32, DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals((int) main.tid(), cp.threadId());
        assertEquals(1, main.runState().suspendCount());
        resume(f.k32, cp);
        assertEquals(0, main.runState().suspendCount());
        drain(f.k32, 200);
    }

    // ---- CheckRemoteDebuggerPresent / IsDebuggerPresent (29–30) ----

    @Test
    void p2_29_checkRemoteDebuggerPresentParameters() {
        f.k32.setLastError(0xDEAD);
        UserPointer<Boolean> present = UserPointer.of(true);
        assertTrue(f.k32.checkRemoteDebuggerPresent(Handle.CURRENT_PROCESS, present));
        assertFalse(present.get(), "the debugger itself is not debugged");
        assertEquals(0xDEAD, f.k32.getLastError(), "last error unchanged");

        UserPointer<Boolean> untouched = UserPointer.of(true);
        assertFalse(f.k32.checkRemoteDebuggerPresent(Handle.NULL, untouched));
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, f.k32.getLastError());
        assertFalse(untouched.written());
        assertTrue(untouched.get());

        f.k32.setLastError(0);
        assertFalse(f.k32.checkRemoteDebuggerPresent(Handle.CURRENT_PROCESS, null));
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, f.k32.getLastError());
    }

    @Test
    void p2_30_clearingBeingDebuggedFoolsOnlyIsDebuggerPresent() {
        AtomicBoolean before = new AtomicBoolean();
        AtomicBoolean after = new AtomicBoolean(true);
        AtomicReference<Boolean> remote = new AtomicReference<>();
        AtomicLong port = new AtomicLong();
        SimProgram program = new SimProgram("hider", ProcessTraits.NATIVE, List.of(), g -> {
            before.set(g.isDebuggerPresent());
            g.setBeingDebugged(false);
            after.set(g.isDebuggerPresent());
            Kernel32 self = new Kernel32(f.dbgk, g.thread());
            UserPointer<Boolean> b = UserPointer.of(false);
            if (self.checkRemoteDebuggerPresent(Handle.CURRENT_PROCESS, b)) {
                remote.set(b.get());
            }
            UserPointer<Long> p = UserPointer.of(0L);
            g.queryInformationProcess(Handle.CURRENT_PROCESS, InformationClass.ProcessDebugPort, p, 8, null);
            port.set(p.get());
        });
        ProcessInformation pi = f.launch(program, DebugCreationFlags.DEBUG_PROCESS);
        assertEquals(0, f.runToExit(pi.processId()));
        assertTrue(before.get());
        assertFalse(after.get(), "IsDebuggerPresent reads the PEB");
        assertEquals(Boolean.TRUE, remote.get(), "CheckRemoteDebuggerPresent uses the kernel's debug port");
        assertEquals(-1L, port.get());
    }

    // ---- ThreadHideFromDebugger (31) ----

    @Test
    void p2_31_threadHideFromDebugger() {
        EProcess target = startIdle(1);
        EThread hidden = target.threads().getFirst();
        EThread fresh = target.threads().get(1);
        Handle hHidden = f.k32.openThread(AccessMask.THREAD_ALL_ACCESS, (int) hidden.tid());
        Handle hFresh = f.k32.openThread(AccessMask.THREAD_ALL_ACCESS, (int) fresh.tid());
        var info = f.kernel.processInformation();

        assertEquals(NtStatus.STATUS_SUCCESS, info.hideFromDebugger(f.debuggerThread, ProcessorMode.USER, hHidden, 0));
        assertEquals(NtStatus.STATUS_INFO_LENGTH_MISMATCH, info.hideFromDebugger(f.debuggerThread, ProcessorMode.USER, hFresh, 1));
        assertEquals(NtStatus.STATUS_INVALID_HANDLE, info.hideFromDebugger(f.debuggerThread, ProcessorMode.USER, Handle.of(0xdead), 0));

        UserPointer<Long> four = UserPointer.of(0x55L);
        assertEquals(NtStatus.STATUS_INFO_LENGTH_MISMATCH, info.queryThread(f.debuggerThread, ProcessorMode.USER, hHidden,
                InformationClass.ThreadHideFromDebugger, four, 4, null));
        assertFalse(four.written());

        UserPointer<Long> value = UserPointer.of(0x55L);
        UserPointer<Integer> len = UserPointer.of(0);
        assertEquals(NtStatus.STATUS_SUCCESS, info.queryThread(f.debuggerThread, ProcessorMode.USER, hHidden,
                InformationClass.ThreadHideFromDebugger, value, 1, len));
        assertEquals(1L, value.get(), "set");
        assertEquals(1, len.get());

        assertEquals(NtStatus.STATUS_SUCCESS, info.queryThread(f.debuggerThread, ProcessorMode.USER, hFresh,
                InformationClass.ThreadHideFromDebugger, value, 1, len));
        assertEquals(0L, value.get(), "a fresh thread (the failed length-1 set changed nothing)");
        assertEquals(1, len.get());
    }
}
