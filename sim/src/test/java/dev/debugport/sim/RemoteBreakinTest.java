package dev.debugport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.image.SimNtdll;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DbgUiIssueRemoteBreakin's thread, started by address with no guest code, as the Win32 layer will start it. */
class RemoteBreakinTest extends SimTestBase {
    private EThread breakIn(EProcess target) {
        long start = machine.platform().systemRoutineAddress(target, SimNtdll.DBG_UI_REMOTE_BREAKIN);
        NtResult<EThread> t = machine.kernel().processes().createThread(target, start, null, false, false);
        assertTrue(t.isSuccess(), () -> t.status().toString());
        return t.value();
    }

    @Test
    void withADebuggerPresentItBreaksAtDbgBreakPointAndSurvivesNotHandled() {
        RecordingHooks hooks = installRecordingHooks();
        EProcess p = start(SimProgram.of("target", g -> g.waitFor("never"))).process();
        awaitState(p.threads().getFirst(), SimThreadState.WAITING);
        p.peb().setBeingDebugged(true);
        EThread t = breakIn(p);
        assertEquals(0, exitCodeOf(t));
        List<RecordingHooks.ExceptionCall> bps = hooks.debugPortExceptions(NtStatus.STATUS_BREAKPOINT.value());
        assertEquals(1, bps.size());
        long dbgBreakPoint = machine.platform().systemRoutineAddress(p, SimNtdll.DBG_BREAK_POINT);
        assertEquals(dbgBreakPoint, bps.getFirst().record().address());
        assertEquals(t, bps.getFirst().thread());
        assertFalse(p.hasExited(), "the catch-all handler keeps DBG_EXCEPTION_NOT_HANDLED from killing the process");
        assertTrue(hooks.createdThreads.contains(t));
    }

    @Test
    void withNoDebuggerItJustExits() {
        RecordingHooks hooks = installRecordingHooks();
        EProcess p = start(SimProgram.of("target2", g -> g.waitFor("never"))).process();
        EThread t = breakIn(p);
        assertEquals(0, exitCodeOf(t));
        assertTrue(hooks.exceptions.isEmpty());
        assertFalse(p.hasExited());
    }

    @Test
    void aThreadCanBeStartedRemotelyAtARoutineAGuestRegistered() {
        GuestCode worker = g -> g.point("remote.ran");
        EProcess p = start(SimProgram.of("target3", g -> {
            g.waitForThread(g.createThread(worker));
            g.waitFor("never");
        })).process();
        assertTrue(machine.stopPoints().awaitHits("remote.ran", 1, TIMEOUT));
        long start = machine.simProcess(p).process().threads().get(1).startAddress();
        EThread t = machine.kernel().processes().createThread(p, start, null, false, false).value();
        assertEquals(0, exitCodeOf(t));
        assertEquals(2, machine.stopPoints().hits("remote.ran"));
    }
}
