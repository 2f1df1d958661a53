package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.image.SimNtdll;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * spec/dbgk.md §15 items 35–36: Win32 DebugActiveProcess breaks in with a remote thread after the fake events, and
 * that thread survives a DBG_EXCEPTION_NOT_HANDLED answer.
 */
class AttachBreakInTest extends AttachTestSupport {

    /** DebugActiveProcess, then every fake event; returns the first event after them (not continued). */
    private DebugEvent attachAndSkipFakes(EProcess target) {
        Set<EThread> existing = Set.copyOf(target.threads());
        assertTrue(f.k32.debugActiveProcess((int) target.pid()), () -> "DebugActiveProcess failed, error " + f.k32.getLastError());
        int fakes = 1 + 1 + (existing.size() - 1) + modulesAfterNtdll(target).size();
        for (int i = 0; i < fakes; i++) {
            DebugEvent e = SimDebugFixture.next(f.k32);
            assertTrue(existing.stream().anyMatch(t -> t.tid() == e.threadId()), () -> "fake event of an existing thread: " + e);
            assertTrue(e.code() != DebugEventCode.EXCEPTION_DEBUG_EVENT, () -> "no exception among the fakes: " + e);
            resume(f.k32, e);
        }
        return SimDebugFixture.next(f.k32);
    }

    @Test
    void s15_35_breakInThreadIsCreatedThenBreaksAtDbgBreakPoint() {
        EProcess target = startIdle(1, "alpha.dll");
        Set<EThread> existing = Set.copyOf(target.threads());
        DebugEvent created = attachAndSkipFakes(target);
        assertEquals(DebugEventCode.CREATE_THREAD_DEBUG_EVENT, created.code(), () -> "break-in CREATE_THREAD first: " + created);
        assertTrue(existing.stream().noneMatch(t -> t.tid() == created.threadId()), "a new thread");
        long remoteBreakin = f.machine.platform().systemRoutineAddress(target, SimNtdll.DBG_UI_REMOTE_BREAKIN);
        assertEquals(remoteBreakin, createThread(created).startAddress());
        resume(f.k32, created);

        DebugEvent bp = next(f.k32, DebugEventCode.EXCEPTION_DEBUG_EVENT);
        DebugEventInfo.ExceptionDebugInfo info = exception(bp);
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), info.exceptionRecord().code());
        assertEquals(f.machine.platform().systemRoutineAddress(target, SimNtdll.DBG_BREAK_POINT), info.exceptionRecord().address(),
                "at ntdll!DbgBreakPoint");
        assertTrue(info.firstChance());
        assertEquals(created.threadId(), bp.threadId(), "on the thread just reported as created");
        resume(f.k32, bp);

        DebugEvent exit = next(f.k32, DebugEventCode.EXIT_THREAD_DEBUG_EVENT);
        assertEquals(created.threadId(), exit.threadId());
        assertEquals(0, ((DebugEventInfo.ExitThreadDebugInfo) exit.info()).exitCode());
        resume(f.k32, exit);
        assertNoEvent(f.k32, 100);
    }

    @Test
    void s15_36_breakInBreakpointNotHandledDoesNotKillTheDebuggee() {
        EProcess target = startIdle(0);
        DebugEvent created = attachAndSkipFakes(target);
        assertEquals(DebugEventCode.CREATE_THREAD_DEBUG_EVENT, created.code());
        resume(f.k32, created);
        DebugEvent bp = next(f.k32, DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), exception(bp).exceptionRecord().code());
        assertTrue(f.k32.continueDebugEvent(bp.processId(), bp.threadId(), NtStatus.DBG_EXCEPTION_NOT_HANDLED));

        // The break-in routine's catch-all handler takes it: no second chance, the thread just exits with 0.
        DebugEvent exit = next(f.k32, DebugEventCode.EXIT_THREAD_DEBUG_EVENT);
        assertEquals(bp.threadId(), exit.threadId());
        assertEquals(0, ((DebugEventInfo.ExitThreadDebugInfo) exit.info()).exitCode());
        resume(f.k32, exit);
        assertNoEvent(f.k32, 100);
        assertFalse(target.hasExited());

        f.machine.signal(EXIT);
        List<DebugEvent> rest = f.collect((int) target.pid());
        assertEquals(DebugEventCode.EXIT_PROCESS_DEBUG_EVENT, rest.getLast().code());
        assertEquals(MAIN_EXIT, ((DebugEventInfo.ExitProcessDebugInfo) rest.getLast().info()).exitCode());
    }
}
