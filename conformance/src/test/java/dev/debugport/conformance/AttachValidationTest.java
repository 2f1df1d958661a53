package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.dbgk.DebugObject;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.Handle;
import dev.debugport.nt.InformationClass;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.sim.SimMachine;
import dev.debugport.sim.SimProgram;
import dev.debugport.win32.Kernel32;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * spec/dbgk.md §15 items 18–26: NtDebugActiveProcess's checks (self, System, access, types, already debugged,
 * rundown, no reportable thread) and what a successful attach changes (PEB, ProcessDebugPort/ObjectHandle/Flags).
 */
class AttachValidationTest extends AttachTestSupport {

    /** Asserts the target was left alone by a failed attach: no port, PEB unmarked, no thread left suspended. */
    private static void assertUntouched(EProcess target) {
        assertNull(target.debugPort());
        assertFalse(target.peb().beingDebugged());
        for (EThread t : target.threads()) {
            assertEquals(0, t.runState().suspendCount(), () -> t + " was left suspended");
        }
    }

    @Test
    void s15_18_attachToTheCallersOwnProcessIsDenied() {
        Handle object = connect();
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, ntAttach(Handle.CURRENT_PROCESS, object));
        Handle self = openProcess(f.debuggerProcess, AccessMask.PROCESS_ALL_ACCESS);
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, ntAttach(self, object));
        assertNull(f.debuggerProcess.debugPort());

        assertFalse(f.k32.debugActiveProcess((int) f.debuggerProcess.pid()));
        assertEquals(Win32Error.ERROR_ACCESS_DENIED, f.k32.getLastError());
        assertNull(f.debuggerProcess.debugPort());
        assertEquals(0, object(object).queuedEventCount());
    }

    @Test
    void s15_19_attachToTheSystemProcessIsDenied() {
        Handle object = connect();
        EProcess system = f.kernel.systemProcess();
        assertEquals(Kernel.SYSTEM_PID, system.pid());
        Handle h = openProcess(system, AccessMask.PROCESS_SUSPEND_RESUME);
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, ntAttach(h, object));
        assertNull(system.debugPort());
        assertEquals(0, object(object).queuedEventCount());
    }

    @Test
    void s15_20_missingAccessOnEitherHandleIsDenied() {
        EProcess target = startIdle(1);
        Handle object = connect();
        Handle noSuspend = openProcess(target, AccessMask.PROCESS_ALL_ACCESS & ~AccessMask.PROCESS_SUSPEND_RESUME);
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, ntAttach(noSuspend, object));
        assertUntouched(target);

        Handle process = openProcess(target, AccessMask.PROCESS_SUSPEND_RESUME);
        Handle noAssign = createObject(AccessMask.DEBUG_OBJECT_ALL_ACCESS & ~AccessMask.DEBUG_OBJECT_ADD_REMOVE_PROCESS, 0);
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, ntAttach(process, noAssign));
        assertUntouched(target);
        assertEquals(0, object(noAssign).queuedEventCount());

        // The two rights alone are enough.
        Handle assignOnly = createObject(AccessMask.DEBUG_OBJECT_ADD_REMOVE_PROCESS, 0);
        assertEquals(NtStatus.STATUS_SUCCESS, ntAttach(process, assignOnly));
        assertSame(object(assignOnly), target.debugPort());
    }

    @Test
    void s15_21_debugHandleOfAnotherTypeIsATypeMismatch() {
        EProcess target = startIdle(0);
        Handle process = openProcess(target, AccessMask.PROCESS_ALL_ACCESS);
        assertEquals(NtStatus.STATUS_OBJECT_TYPE_MISMATCH, ntAttach(process, process));
        Handle thread = f.k32.openThread(AccessMask.THREAD_ALL_ACCESS, (int) target.threads().getFirst().tid());
        assertEquals(NtStatus.STATUS_OBJECT_TYPE_MISMATCH, ntAttach(process, thread));
        assertUntouched(target);
    }

    @Test
    void s15_22_attachToAnAlreadyDebuggedProcess() {
        EProcess target = startIdle(2, "alpha.dll");
        ntAttachWithDbgUi(target);
        DebugObject first = (DebugObject) target.debugPort();
        drain(f.k32, 200);

        Handle second = createObject(AccessMask.DEBUG_OBJECT_ALL_ACCESS, 0);
        Handle process = openProcess(target, AccessMask.PROCESS_ALL_ACCESS);
        assertEquals(NtStatus.STATUS_PORT_ALREADY_SET, ntAttach(process, second));
        assertEquals(0, object(second).queuedEventCount(), "the loser's fakes are backed out");
        assertSame(first, target.debugPort());
        for (EThread t : target.threads()) {
            assertEquals(0, t.runState().suspendCount(), () -> t + " was left suspended");
        }

        Kernel32 other = f.otherDebugger("other.exe");
        assertFalse(other.debugActiveProcess((int) target.pid()));
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, other.getLastError());
        assertSame(first, target.debugPort());
        for (EThread t : target.threads()) {
            assertEquals(0, t.runState().suspendCount(), () -> t + " was left suspended");
        }
        assertNoEvent(other, 100);
        assertNoEvent(f.k32, 100);
    }

    @Test
    void s15_23_attachToAProcessWhoseRundownIsGone() {
        EProcess target = startIdle(0);
        Handle process = openProcess(target, AccessMask.PROCESS_ALL_ACCESS);
        f.machine.signal(EXIT);
        assertEquals(MAIN_EXIT, SimDebugFixture.awaitExit(target));
        assertTrue(target.rundown().isRundown());
        Handle object = connect();
        assertEquals(NtStatus.STATUS_PROCESS_IS_TERMINATING, ntAttach(process, object));
        assertNull(target.debugPort());
        assertEquals(0, object(object).queuedEventCount());
    }

    @Test
    void s15_24_attachToAProcessWithNoThreadsFails() {
        // NtCreateProcessEx without a thread yet: the process exists, its address space is built, no thread.
        EProcess empty = new EProcess(f.kernel.clientIds().allocate(), f.debuggerProcess.pid(), null, ProcessTraits.NATIVE);
        assertEquals(NtStatus.STATUS_SUCCESS, f.machine.platform().initializeProcess(empty, SimProgram.of("empty", g -> { })));
        f.kernel.clientIds().registerProcess(empty);
        try {
            Handle process = f.kernel.objectManager().openByPointer(f.debuggerProcess.handleTable(), empty, AccessMask.PROCESS_ALL_ACCESS);
            Handle object = connect();
            int handles = f.debuggerHandleCount();
            assertEquals(NtStatus.STATUS_UNSUCCESSFUL, ntAttach(process, object));
            assertEquals(0, object(object).queuedEventCount(), "nothing queued");
            assertNull(empty.debugPort(), "not debugged");
            assertFalse(empty.peb().beingDebugged());
            assertEquals(handles, f.debuggerHandleCount());
        } finally {
            f.kernel.clientIds().removeProcess(empty);
        }
    }

    @Test
    void s15_24_attachToAProcessWithOnlyExitingThreadsFails() {
        String workerExit = "worker.exit";
        EProcess target = startUndebugged(SimProgram.of("exiting", g -> {
            g.createThread(w -> w.waitFor(workerExit));
            g.signal(READY);
            // The main thread exits first; its rundown is gone but it stays in the thread list.
        }), READY);
        EThread main = target.threads().getFirst();
        EThread worker = target.threads().get(1);
        assertTrue(SimMachine.awaitExit(main, SimDebugFixture.TIMEOUT));
        f.machine.stopPoints().arm(SimMachine.THREAD_EXIT_POINT, t -> t == worker);
        f.machine.signal(workerExit);
        assertTrue(f.machine.stopPoints().awaitReached(SimMachine.THREAD_EXIT_POINT, SimDebugFixture.TIMEOUT));
        // The worker is inside PspExitThread: it has run down its protection (ExWaitForRundownProtectionRelease)
        // and has not yet reported its exit. The sim stops it just before, so the test takes that step for it.
        worker.rundown().waitForRundown();
        assertTrue(main.rundown().isRundown());

        Handle object = connect();
        int handles = f.debuggerHandleCount();
        assertEquals(NtStatus.STATUS_UNSUCCESSFUL, ntAttach(openProcess(target, AccessMask.PROCESS_ALL_ACCESS), object));
        assertEquals(0, object(object).queuedEventCount(), "nothing queued");
        assertNull(target.debugPort(), "not debugged");
        assertFalse(target.peb().beingDebugged());
        assertEquals(handles + 1, f.debuggerHandleCount(), "only the process handle the test opened");
        assertEquals(0, worker.runState().suspendCount());

        f.machine.stopPoints().release(SimMachine.THREAD_EXIT_POINT);
        assertEquals(0, SimDebugFixture.awaitExit(target));
        assertNoEvent(f.k32, 100);
    }

    @Test
    void s15_25_attachMarksThePebAndTheDebugPort() {
        String check = "check";
        EProcess target = startUndebugged(new SimProgram("checker", ProcessTraits.NATIVE, List.of(), g -> {
            report(g, g.isDebuggerPresent(), "before.yes", "before.no");
            g.signal(READY);
            g.waitFor(check);
            report(g, g.isDebuggerPresent(), "after.yes", "after.no");
            g.waitFor(EXIT);
        }), READY);
        assertTrue(f.machine.isSignalled("before.no"));
        Handle process = openProcess(target, AccessMask.PROCESS_QUERY_INFORMATION);
        UserPointer<Boolean> present = UserPointer.of(true);
        assertTrue(f.k32.checkRemoteDebuggerPresent(process, present));
        assertFalse(present.get());

        ntAttachWithDbgUi(target);
        assertTrue(f.k32.checkRemoteDebuggerPresent(process, present));
        assertTrue(present.get());
        assertTrue(target.peb().beingDebugged());
        drain(f.k32, 200); // the fakes: the target's thread runs again once its CREATE_PROCESS is continued
        f.machine.signal(check);
        awaitSignal("after.yes");
        assertFalse(f.machine.isSignalled("after.no"));
    }

    @Test
    void s15_26_debugInformationClassesAfterAttach() {
        EProcess target = startIdle(1);
        Handle object = connect();
        Handle process = openProcess(target, AccessMask.PROCESS_ALL_ACCESS);
        UserPointer<Long> flags = UserPointer.of(-5L);
        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.processInformation().query(f.debuggerThread, ProcessorMode.USER, process,
                InformationClass.ProcessDebugFlags, flags, 4, null));
        assertEquals(1L, flags.get(), "not debugged yet: inherit");

        assertEquals(NtStatus.STATUS_SUCCESS, ntAttach(process, object));

        UserPointer<Long> port = UserPointer.of(0L);
        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.processInformation().query(f.debuggerThread, ProcessorMode.USER, process,
                InformationClass.ProcessDebugPort, port, 8, null));
        assertEquals(-1L, port.get(), "all ones, not a handle");

        UserPointer<Long> handle = UserPointer.of(0L);
        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.processInformation().query(f.debuggerThread, ProcessorMode.USER, process,
                InformationClass.ProcessDebugObjectHandle, handle, 8, null));
        Handle opened = Handle.of(handle.get());
        assertFalse(opened.isNull());
        assertTrue(!opened.equals(object), "a new handle");
        assertSame(object(object), object(opened), "to the same object");
        assertTrue(f.k32.closeHandle(opened));

        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.processInformation().query(f.debuggerThread, ProcessorMode.USER, process,
                InformationClass.ProcessDebugFlags, flags, 4, null));
        assertEquals(0L, flags.get(), "attach sets NO_DEBUG_INHERIT");
        List<DebugEvent> fakes = drain(f.k32, 200);
        assertFalse(fakes.isEmpty());
    }
}
