package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.ExceptionDisposition;
import dev.debugport.sim.SimProgram;
import dev.debugport.win32.ProcessInformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DbgkpSendApiMessage's DBG_REPLY_LATER loop (spec §7.2) against termination: a thread terminated while it waits
 * to send its event again leaves the loop (its termination comes first), while a thread's own exit report is still
 * sent again.
 */
class ReplyLaterTerminationTest {
    private final SimDebugFixture f = new SimDebugFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void aThreadTerminatedBeforeItsResendReportsOnlyItsExit() {
        SimProgram program = SimProgram.of("reply-later-terminated",
                g -> g.raiseException(0xE0000061, 0, null, p -> ExceptionDisposition.EXECUTE_HANDLER));
        ProcessInformation p = f.launch(program, DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent ex = f.skipUntil(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        while (((DebugEventInfo.ExceptionDebugInfo) ex.info()).exceptionRecord().code() != 0xE0000061) {
            f.resume(ex);
            ex = f.skipUntil(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        }
        Handle hThread = f.k32.openThread(0x1FFFFF, ex.threadId());
        assertEquals(0, f.k32.suspendThread(hThread), "held so the resend waits for the thread to run");
        f.resume(ex, NtStatus.DBG_REPLY_LATER);
        f.assertNoEvent(50);
        assertTrue(f.k32.terminateProcess(p.process(), 0x61));
        DebugEvent exit = f.next();
        assertEquals(DebugEventCode.EXIT_PROCESS_DEBUG_EVENT, exit.code(), () -> "no second exception event: " + exit);
        assertEquals(0x61, ((DebugEventInfo.ExitProcessDebugInfo) exit.info()).exitCode());
        f.resume(exit);
        f.k32.closeHandle(hThread);
    }

    @Test
    void anExitReportRepliedLaterIsSentAgain() {
        ProcessInformation p = f.launch(SimProgram.of("reply-later-exit", g -> g.exitProcess(0x62)), DebugCreationFlags.DEBUG_PROCESS);
        var process = f.process(p.processId());
        DebugEvent exit = f.skipUntil(DebugEventCode.EXIT_PROCESS_DEBUG_EVENT);
        f.resume(exit, NtStatus.DBG_REPLY_LATER);
        DebugEvent again = f.next(DebugEventCode.EXIT_PROCESS_DEBUG_EVENT);
        assertEquals(exit.threadId(), again.threadId());
        f.resume(again);
        assertEquals(0x62, SimDebugFixture.awaitExit(process));
    }
}
