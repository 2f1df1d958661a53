package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.Handle;
import dev.debugport.nt.InformationClass;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.sim.SimProgram;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** spec/dbgk.md §15 items 94–97: CheckRemoteDebuggerPresent, IsDebuggerPresent and ProcessDebugObjectHandle. */
class ProcessDebugQueriesTest extends LifecycleTestBase {

    @Test
    void s15_94_checkRemoteDebuggerPresentRejectsNullArguments() {
        UserPointer<Boolean> b = UserPointer.of(Boolean.TRUE);
        assertFalse(f.k32.checkRemoteDebuggerPresent(Handle.NULL, b));
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, f.k32.getLastError());
        assertFalse(b.written(), "b unchanged");
        assertEquals(Boolean.TRUE, b.get());

        f.k32.setLastError(0);
        assertFalse(f.k32.checkRemoteDebuggerPresent(Handle.CURRENT_PROCESS, null));
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, f.k32.getLastError());
    }

    @Test
    void s15_95_checkRemoteDebuggerPresentOnSelfSucceedsAndKeepsTheLastError() {
        f.k32.setLastError(0xBEEF);
        UserPointer<Boolean> b = UserPointer.of(Boolean.TRUE);
        assertTrue(f.k32.checkRemoteDebuggerPresent(Handle.CURRENT_PROCESS, b));
        assertEquals(0xBEEF, f.k32.getLastError(), "the last error is left unchanged");
        assertEquals(Boolean.FALSE, b.get(), "the debugger itself has no debug port");

        // The same call from inside a debuggee reports its port.
        AtomicReference<Boolean> inside = new AtomicReference<>();
        AtomicReference<Integer> insideError = new AtomicReference<>();
        ProcessInformation pi = launch(SimProgram.of("q95", g -> {
            Kernel32 own = new Kernel32(f.dbgk, g.thread());
            own.setLastError(0x1234);
            UserPointer<Boolean> present = UserPointer.of(Boolean.FALSE);
            inside.set(own.checkRemoteDebuggerPresent(Handle.CURRENT_PROCESS, present) ? present.get() : null);
            insideError.set(own.getLastError());
        }));
        assertEquals(0, f.runToExit(pi.processId()));
        assertEquals(Boolean.TRUE, inside.get());
        assertEquals(0x1234, insideError.get());
    }

    @Test
    void s15_96_clearingBeingDebuggedFoolsIsDebuggerPresentButNotTheKernelPort() {
        AtomicReference<Boolean> before = new AtomicReference<>();
        AtomicReference<Boolean> after = new AtomicReference<>();
        AtomicReference<Boolean> remote = new AtomicReference<>();
        AtomicReference<Long> port = new AtomicReference<>();
        ProcessInformation pi = launch(SimProgram.of("q96", g -> {
            before.set(g.isDebuggerPresent());
            g.setBeingDebugged(false);
            after.set(g.isDebuggerPresent());
            Kernel32 own = new Kernel32(f.dbgk, g.thread());
            UserPointer<Boolean> present = UserPointer.of(Boolean.FALSE);
            remote.set(own.checkRemoteDebuggerPresent(Handle.CURRENT_PROCESS, present) ? present.get() : null);
            UserPointer<Long> value = UserPointer.of(0L);
            g.queryInformationProcess(Handle.CURRENT_PROCESS, InformationClass.ProcessDebugPort, value, 8, null);
            port.set(value.get());
        }));
        assertEquals(0, f.runToExit(pi.processId()));
        assertEquals(Boolean.TRUE, before.get());
        assertEquals(Boolean.FALSE, after.get(), "IsDebuggerPresent reads the PEB byte");
        assertEquals(Boolean.TRUE, remote.get(), "CheckRemoteDebuggerPresent asks the kernel");
        assertEquals(-1L, port.get());
    }

    @Test
    void s15_97_processDebugObjectHandleOfAnUndebuggedProcessIsPortNotSetAndZero() {
        EProcess plain = startPlain(SimProgram.of("q97", g -> g.waitFor("q97.end")));
        Handle h = f.k32.openProcess(AccessMask.PROCESS_QUERY_INFORMATION, (int) plain.pid());
        UserPointer<Long> value = UserPointer.of(0x1234L);
        UserPointer<Integer> length = UserPointer.of(0);
        int handles = f.debuggerHandleCount();
        assertEquals(NtStatus.STATUS_PORT_NOT_SET, f.kernel.processInformation().query(f.debuggerThread, ProcessorMode.USER, h,
                InformationClass.ProcessDebugObjectHandle, value, 8, length));
        assertEquals(0L, value.get(), "a 0 handle is written");
        assertEquals(handles, f.debuggerHandleCount(), "no handle was opened");

        // And for the caller itself.
        UserPointer<Long> self = UserPointer.of(0x5678L);
        assertEquals(NtStatus.STATUS_PORT_NOT_SET, f.kernel.processInformation().query(f.debuggerThread, ProcessorMode.USER,
                Handle.CURRENT_PROCESS, InformationClass.ProcessDebugObjectHandle, self, 8, null));
        assertEquals(0L, self.get());
        f.machine.signal("q97.end");
        assertEquals(0, SimDebugFixture.awaitExit(plain));
    }
}
