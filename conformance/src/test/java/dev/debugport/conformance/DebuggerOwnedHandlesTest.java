package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.sim.SimProgram;
import dev.debugport.sim.image.ImageLayout;
import dev.debugport.win32.ProcessInformation;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** spec/dbgk.md §15 items 91–93: which handles a debug event leaves in the debugger's table, and for how long. */
class DebuggerOwnedHandlesTest extends LifecycleTestBase {

    @Test
    void s15_91_kernel32ClosesHThreadOnceItsExitThreadIsContinued() {
        AtomicReference<EThread> worker = new AtomicReference<>();
        ProcessInformation pi = launch(SimProgram.of("h91", g -> {
            EThread t = g.createThread(w -> w.exitThread(9));
            worker.set(t);
            g.waitForThread(t);
        }));
        DebugEvent created = until(e -> e.code() == DebugEventCode.CREATE_THREAD_DEBUG_EVENT, null);
        Handle hThread = ((DebugEventInfo.CreateThreadDebugInfo) created.info()).thread();
        assertTrue(f.isOpen(hThread));
        f.resume(created);
        DebugEvent exit = until(e -> e.code() == DebugEventCode.EXIT_THREAD_DEBUG_EVENT, null);
        assertEquals(created.threadId(), exit.threadId());
        assertEquals(9, ((DebugEventInfo.ExitThreadDebugInfo) exit.info()).exitCode());
        assertTrue(f.isOpen(hThread), "still open while EXIT_THREAD is out");
        f.resume(exit);
        assertFalse(f.k32.closeHandle(hThread), "kernel32 closed it after the continue");
        assertEquals(Win32Error.ERROR_INVALID_HANDLE, f.k32.getLastError());
        assertEquals(0, f.runToExit(pi.processId()));
    }

    @Test
    void s15_92_hFileOfCreateProcessAndLoadDllStaysValidUntilTheDebuggerClosesIt() {
        ProcessInformation pi = launch(SimProgram.of("h92", g -> g.loadLibrary("file92.dll")));
        DebugEvent cpEvent = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        Handle processFile = ((DebugEventInfo.CreateProcessDebugInfo) cpEvent.info()).file();
        f.resume(cpEvent);
        DebugEvent load = until(e -> e.code() == DebugEventCode.LOAD_DLL_DEBUG_EVENT
                && (ImageLayout.SYSTEM32 + "file92.dll").equals(f.k32.getFinalPathNameByHandle(((DebugEventInfo.LoadDllDebugInfo) e.info()).file())), null);
        Handle dllFile = ((DebugEventInfo.LoadDllDebugInfo) load.info()).file();
        f.resume(load);
        assertEquals(0, f.runToExit(pi.processId()));

        assertFalse(processFile.isNull());
        assertFalse(dllFile.isNull());
        assertEquals(ImageLayout.exePath("h92"), f.k32.getFinalPathNameByHandle(processFile), "valid after the continue and the exit");
        assertEquals(ImageLayout.SYSTEM32 + "file92.dll", f.k32.getFinalPathNameByHandle(dllFile));
        assertTrue(f.k32.closeHandle(processFile), "the debugger closes it");
        assertTrue(f.k32.closeHandle(dllFile));
        assertFalse(f.isOpen(processFile));
    }

    @Test
    void s15_93_loadDllEventsDiscardedByADetachLeakNoHandle() {
        EProcess target = startPlain(SimProgram.of("h93", g -> {
            g.signal("h93.ready");
            g.waitFor("h93.end");
        }).withImports("a93.dll", "b93.dll", "c93.dll"));
        assertTrue(f.machine.awaitSignal("h93.ready", SimDebugFixture.TIMEOUT));
        int pid = (int) target.pid();
        assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().connectToDbg());
        int debuggerBefore = f.debuggerHandleCount();
        int kernelBefore = f.kernel.objectManager().kernelTable().size();

        assertTrue(f.k32.debugActiveProcess(pid));
        assertTrue(f.kernel.objectManager().kernelTable().size() >= kernelBefore + 6,
                "the queued fake LOAD_DLLs (ntdll, kernel32, KernelBase, three imports) hold kernel file handles");
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        Handle hFile = ((DebugEventInfo.CreateProcessDebugInfo) cp.info()).file();
        assertNotNull(hFile);
        assertFalse(hFile.isNull());
        assertEquals(debuggerBefore + 3, f.debuggerHandleCount(), "CREATE_PROCESS handed out hProcess, hThread and hFile");

        assertTrue(f.k32.debugActiveProcessStop(pid), () -> "error " + f.k32.getLastError());
        assertEquals(debuggerBefore + 1, f.debuggerHandleCount(), "only the delivered hFile is left: no LOAD_DLL handle leaked in");
        assertTrue(f.isOpen(hFile));
        assertEquals(kernelBefore, f.kernel.objectManager().kernelTable().size(), "the discarded events closed their kernel handles");
        f.assertNoEvent(QUIET_MS);
        f.machine.signal("h93.end");
        assertEquals(0, SimDebugFixture.awaitExit(target));
    }

    @Test
    void s15_93_aLiveLoadDllDiscardedByADetachLeaksNoHandle() {
        // The process is debugged from creation; its LOAD_DLL is queued while its CREATE_PROCESS is still out.
        ProcessInformation pi = launch(SimProgram.of("h93b", g -> {
            g.signal("h93b.ready");
            g.waitFor("h93b.load");
            g.loadLibrary("live93.dll");
            g.exitThread(0x93);
        }));
        EProcess target = f.process(pi.processId());
        drainUntilSignal("h93b.ready");
        int debuggerBefore = f.debuggerHandleCount();
        int kernelBefore = f.kernel.objectManager().kernelTable().size();
        f.machine.signal("h93b.load");
        Handle h = f.k32.openProcess(AccessMask.PROCESS_SUSPEND_RESUME, pi.processId());
        // Detach as soon as the LOAD_DLL is queued, without waiting for it.
        long deadline = System.nanoTime() + SimDebugFixture.TIMEOUT.toNanos();
        while (f.kernel.objectManager().kernelTable().size() == kernelBefore && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(kernelBefore + 1, f.kernel.objectManager().kernelTable().size(), "the queued LOAD_DLL holds its file as a kernel handle");
        assertEquals(NtStatus.STATUS_SUCCESS, f.dbgk.detach().removeProcessDebug(f.debuggerThread, ProcessorMode.USER, h, f.k32.dbgUi().getThreadDebugObject()));
        assertEquals(0x93, SimDebugFixture.awaitExit(target));
        assertTrue(f.k32.closeHandle(h));
        assertEquals(debuggerBefore, f.debuggerHandleCount(), "nothing was added to the debugger's table");
        assertEquals(kernelBefore, f.kernel.objectManager().kernelTable().size(), "the sender closed its kernel file handle");
        f.assertNoEvent(QUIET_MS);
    }
}
