package dev.debugport.linux.ptrace;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WaitStatusTest {
    @Test
    void exited() {
        assertEquals(new WaitStatus.Exited(0x2a00, 42), WaitStatus.decode(0x2a00));
        assertEquals(new WaitStatus.Exited(0, 0), WaitStatus.decode(0));
        assertTrue(WaitStatus.decode(0xff00).isGone());
    }

    @Test
    void killed() {
        assertEquals(new WaitStatus.Killed(9, 9, false), WaitStatus.decode(9));
        assertEquals(new WaitStatus.Killed(0x8b, 11, true), WaitStatus.decode(0x8b));
    }

    @Test
    void signalDeliveryStop() {
        // Seen on this machine: SIGCONT signal-delivery-stop 0x127f.
        assertEquals(new WaitStatus.SignalStopped(0x127f, Signals.SIGCONT), WaitStatus.decode(0x127f));
        assertTrue(WaitStatus.decode(0x57f).isStop());
        assertFalse(WaitStatus.decode(0x57f).isGone());
    }

    @Test
    void ptraceEvents() {
        assertEquals(new WaitStatus.EventStopped(0x3057f, PtraceConstants.PTRACE_EVENT_CLONE, Signals.SIGTRAP),
                WaitStatus.decode(0x3057f));
        assertEquals(new WaitStatus.EventStopped(0x4057f, PtraceConstants.PTRACE_EVENT_EXEC, Signals.SIGTRAP),
                WaitStatus.decode(0x4057f));
        assertEquals(new WaitStatus.EventStopped(0x6057f, PtraceConstants.PTRACE_EVENT_EXIT, Signals.SIGTRAP),
                WaitStatus.decode(0x6057f));
        // PTRACE_EVENT_STOP with SIGTRAP: an interrupt or a new tracee's first stop.
        assertEquals(new WaitStatus.EventStopped(0x80057f, PtraceConstants.PTRACE_EVENT_STOP, Signals.SIGTRAP),
                WaitStatus.decode(0x80057f));
    }

    @Test
    void groupStopUnderSeize() {
        // Seen on this machine: the launch shell's own SIGSTOP after PTRACE_SEIZE, 0x80137f.
        assertEquals(new WaitStatus.GroupStopped(0x80137f, Signals.SIGSTOP), WaitStatus.decode(0x80137f));
        assertEquals(new WaitStatus.GroupStopped(0x80147f, Signals.SIGTSTP), WaitStatus.decode(0x80147f));
    }

    @Test
    void syscallStopAndContinued() {
        assertEquals(new WaitStatus.SyscallStopped(0x857f), WaitStatus.decode(0x857f));
        assertEquals(new WaitStatus.Continued(0xffff), WaitStatus.decode(0xffff));
    }
}
