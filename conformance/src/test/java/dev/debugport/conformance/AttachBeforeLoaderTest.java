package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ps.ProcessManager;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.Handle;
import dev.debugport.sim.SimProgram;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Attaching to a CREATE_SUSPENDED process before its loader ran (spec §6.5: the module walk finds PEB.Ldr empty):
 * the fake messages are CREATE_PROCESS and ntdll only, and each DLL is reported once, live, when the loader maps it.
 */
class AttachBeforeLoaderTest {
    private final SimDebugFixture f = new SimDebugFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void eachDllIsReportedOnceLiveByTheLoader() {
        SimProgram program = new SimProgram("early", ProcessTraits.NATIVE, List.of("user32.dll"), g -> g.exitProcess(5));
        ProcessManager.CreatedProcess created = f.machine.createProcess(f.debuggerThread, program, Handle.NULL, false, true).value();
        assertTrue(created.process().loaderList().isEmpty());
        assertTrue(f.k32.debugActiveProcess((int) created.process().pid()), () -> "error " + f.k32.getLastError());
        f.resume(f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT));
        List<Long> dllBases = new ArrayList<>();
        f.kernel.processes().resumeThread(created.initialThread());
        int exitCode = -1;
        while (exitCode < 0) {
            DebugEvent e = f.next();
            if (e.info() instanceof DebugEventInfo.LoadDllDebugInfo load) {
                dllBases.add(load.baseOfDll());
            }
            if (e.info() instanceof DebugEventInfo.ExitProcessDebugInfo exit) {
                exitCode = exit.exitCode();
            }
            f.resume(e, e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT ? SimDebugFixture.passThrough(e) : dev.debugport.nt.NtStatus.DBG_CONTINUE);
        }
        assertEquals(5, exitCode);
        List<Long> expected = created.process().loaderList().subList(1, 5).stream().map(i -> i.base()).toList();
        assertEquals(expected, dllBases, "ntdll (fake, from the system DLL), then kernel32, KernelBase, user32 once each, live");
    }
}
