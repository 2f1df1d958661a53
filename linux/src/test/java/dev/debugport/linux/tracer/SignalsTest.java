package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.Signals;
import dev.debugport.linux.ptrace.UserRegs;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signals as NT exceptions: int3, single step, faults, abort, job control. */
class SignalsTest extends TracerTestBase {
    @Test
    void int3GivesSigtrapSiKernelWithRipAfterTheInt3() {
        int pid = launch("int3loop", "3");
        cont(pid, 0);
        for (int i = 0; i < 3; i++) {
            TraceEvent.SignalStop s = events.next(TraceEvent.SignalStop.class);
            assertEquals(Signals.SIGTRAP, s.signal());
            assertEquals(Signals.SI_KERNEL, s.info().code(), "int3 is reported with si_code SI_KERNEL");
            UserRegs r = regs(pid);
            assertEquals(r.rax() + 1, r.rip(), "rip is just past the int3 (rax holds the int3's address)");
            assertEquals(i, r.rbx());
            if (i == 2) {
                events.resumeAll();
            }
            cont(pid, 0); // suppress the SIGTRAP: the "handled" continue
        }
        assertEquals(new TraceEvent.Exited(pid, pid, 0), events.awaitProcessEnd(pid));
    }

    @Test
    void singleStepGivesTrapTrace() {
        int pid = launch("int3loop", "1");
        cont(pid, 0);
        events.next(TraceEvent.SignalStop.class);
        UserRegs atTrap = regs(pid);
        onTracer(pt -> pt.singleStep(pid, 0)).orElseThrow();
        TraceEvent.SignalStop step = events.next(TraceEvent.SignalStop.class);
        assertEquals(Signals.SIGTRAP, step.signal());
        assertEquals(Signals.TRAP_TRACE, step.info().code(), "single step is reported with si_code TRAP_TRACE");
        assertEquals(atTrap.rip() + 1, regs(pid).rip(), "stepped over the one-byte nop after the int3");
        events.resumeAll();
        cont(pid, 0);
        assertEquals(new TraceEvent.Exited(pid, pid, 0), events.awaitProcessEnd(pid));
    }

    @Test
    void segfaultWithoutHandlerKillsWhenPassed() {
        int pid = launch("segv");
        cont(pid, 0);
        TraceEvent.SignalStop s = events.next(TraceEvent.SignalStop.class);
        assertEquals(Signals.SIGSEGV, s.signal());
        assertEquals(Signals.SEGV_MAPERR, s.info().code());
        assertEquals(0xdead0000L, s.info().addr(), "si_addr is the faulting data address");
        // No handler: delivering the signal would kill the process ("second chance" on NT).
        long caught = Procfs.signalsCaught(pid).orElseThrow();
        assertEquals(0, caught & Signals.maskBit(Signals.SIGSEGV));
        events.resumeAll();
        cont(pid, Signals.SIGSEGV);
        TraceEvent end = events.awaitProcessEnd(pid);
        assertEquals(new TraceEvent.Killed(pid, pid, Signals.SIGSEGV, false), end);
    }

    @Test
    void segfaultWithHandlerRunsTheHandlerWhenPassed() {
        int pid = launch("segv", "handler");
        cont(pid, 0);
        TraceEvent.SignalStop s = events.next(TraceEvent.SignalStop.class);
        assertEquals(Signals.SIGSEGV, s.signal());
        assertEquals(0xdead0000L, s.info().addr());
        long caught = Procfs.signalsCaught(pid).orElseThrow();
        assertTrue((caught & Signals.maskBit(Signals.SIGSEGV)) != 0, "the program has a SIGSEGV handler");
        events.resumeAll();
        cont(pid, Signals.SIGSEGV);
        assertEquals(new TraceEvent.Exited(pid, pid, 3), events.awaitProcessEnd(pid));
    }

    @Test
    void segfaultSuppressedWithRipMovedPastTheFaultContinues() {
        int pid = launch("segv");
        cont(pid, 0);
        TraceEvent.SignalStop s = events.next(TraceEvent.SignalStop.class);
        assertEquals(Signals.SIGSEGV, s.signal());
        UserRegs r = regs(pid);
        // The program put the address just past the faulting store in rbx.
        onTracer(pt -> pt.setRegs(pid, r.withRip(r.rbx()))).orElseThrow();
        events.resumeAll();
        cont(pid, 0);
        assertEquals(new TraceEvent.Exited(pid, pid, 7), events.awaitProcessEnd(pid));
    }

    @Test
    void abortIsSigabrtSentByTheThreadItself() {
        int pid = launch("abort");
        cont(pid, 0);
        TraceEvent.SignalStop s = events.next(TraceEvent.SignalStop.class);
        assertEquals(Signals.SIGABRT, s.signal());
        assertEquals(Signals.SI_TKILL, s.info().code(), "raise() uses tgkill");
        assertEquals(pid, s.info().pid());
        events.resumeAll();
        cont(pid, Signals.SIGABRT);
        assertEquals(new TraceEvent.Killed(pid, pid, Signals.SIGABRT, false), events.awaitProcessEnd(pid));
    }

    @Test
    void divideByZeroIsSigfpeIntdivAtTheDivide() {
        int pid = launch("divzero");
        cont(pid, 0);
        TraceEvent.SignalStop s = events.next(TraceEvent.SignalStop.class);
        assertEquals(Signals.SIGFPE, s.signal());
        assertEquals(Signals.FPE_INTDIV, s.info().code());
        assertEquals(regs(pid).rip(), s.info().addr(), "si_addr is the faulting instruction");
        events.resumeAll();
        cont(pid, Signals.SIGFPE);
        assertEquals(new TraceEvent.Killed(pid, pid, Signals.SIGFPE, false), events.awaitProcessEnd(pid));
    }

    @Test
    void groupStopListenAndContinue() {
        int pid = launchSleeper();
        Posix.kill(pid, Signals.SIGSTOP).orElseThrow();
        TraceEvent.SignalStop s = events.next(TraceEvent.SignalStop.class);
        assertEquals(Signals.SIGSTOP, s.signal());
        cont(pid, Signals.SIGSTOP); // deliver it: the process enters a group-stop
        TraceEvent.GroupStop g = events.next(TraceEvent.GroupStop.class);
        assertEquals(new TraceEvent.GroupStop(pid, pid, Signals.SIGSTOP), g);
        // PTRACE_LISTEN keeps the job-control stop but lets the tracee report what comes next.
        onTracer(pt -> pt.listen(pid)).orElseThrow();
        assertFalse(tracer.isStopped(pid));
        Posix.kill(pid, Signals.SIGCONT).orElseThrow();
        TraceEvent afterCont = events.next();
        assertTrue(afterCont instanceof TraceEvent.InterruptStop, () -> "the group-stop end is reported as "
                + "PTRACE_EVENT_STOP/SIGTRAP: " + afterCont);
        cont(pid, 0);
        TraceEvent.SignalStop sigcont = events.next(TraceEvent.SignalStop.class);
        assertEquals(Signals.SIGCONT, sigcont.signal());
        events.resumeAll();
        cont(pid, Signals.SIGCONT);
        Posix.kill(pid, Signals.SIGUSR1).orElseThrow();
        assertEquals(new TraceEvent.Exited(pid, pid, 0), events.awaitProcessEnd(pid));
    }

    @Test
    void stopProcessInterruptsARunningProcess() {
        int pid = launchSleeper();
        var stopped = get(tracer.stopProcess(pid)).orElseThrow();
        assertEquals(java.util.List.of(pid), stopped);
        assertEquals('t', Procfs.state(pid).orElseThrow());
        assertTrue(tracer.isStopped(pid));
        assertTrue(events.pending().isEmpty(), () -> "the interrupt stop is absorbed: " + events.pending());
        // Stopping an all-stopped process completes at once.
        assertEquals(java.util.List.of(pid), get(tracer.stopProcess(pid)).orElseThrow());
        events.resumeAll();
        cont(pid, 0);
        Posix.kill(pid, Signals.SIGUSR1).orElseThrow();
        assertEquals(new TraceEvent.Exited(pid, pid, 0), events.awaitProcessEnd(pid));
    }

    @Test
    void interruptingAnAlreadyStoppedThreadTrapsRightAfterTheResume() {
        // Why the tracer reads a thread's state before PTRACE_INTERRUPT: the interrupt of a thread that is already
        // in a ptrace-stop stays pending and fires as soon as the thread is resumed.
        int pid = launch("int3loop", "1");
        cont(pid, 0);
        events.next(TraceEvent.SignalStop.class);
        onTracer(pt -> pt.interrupt(pid)).orElseThrow();
        cont(pid, 0);
        assertEquals(new TraceEvent.InterruptStop(pid, pid), events.next());
        events.resumeAll();
        cont(pid, 0);
        assertEquals(new TraceEvent.Exited(pid, pid, 0), events.awaitProcessEnd(pid));
    }
}
