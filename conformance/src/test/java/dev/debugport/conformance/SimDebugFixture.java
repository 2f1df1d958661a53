package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.debugport.dbgk.Dbgk;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.SimMachine;
import dev.debugport.sim.SimProgram;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulated machine with Dbgk installed and one debugger (a host process "debugger.exe" with one thread and its
 * Kernel32), plus the waits conformance tests need. Every wait has a timeout; nothing sleeps.
 */
final class SimDebugFixture implements AutoCloseable {
    /** How long any single expected event may take. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int TIMEOUT_MS = (int) TIMEOUT.toMillis();

    final SimMachine machine = SimMachine.create();
    final Kernel kernel = machine.kernel();
    final Dbgk dbgk = Dbgk.initialize(kernel);
    final EThread debuggerThread = machine.createHostThread("debugger.exe");
    final EProcess debuggerProcess = debuggerThread.process();
    final Kernel32 k32 = new Kernel32(dbgk, debuggerThread);

    /** Another host thread of the debugger process, with its own Kernel32 (and no DbgUi handle yet). */
    Kernel32 secondDebuggerThread() {
        return new Kernel32(dbgk, machine.addHostThread(debuggerProcess));
    }

    /** A separate debugger process with one thread. */
    Kernel32 otherDebugger(String name) {
        return new Kernel32(dbgk, machine.createHostThread(name));
    }

    /** CreateProcess(program, flags) from the debugger thread; fails the test if it fails. */
    ProcessInformation launch(SimProgram program, int creationFlags) {
        UserPointer<ProcessInformation> info = UserPointer.empty();
        assertTrue(k32.createProcess(program, creationFlags, info), () -> "CreateProcess failed, error " + k32.getLastError());
        return info.get();
    }

    /** The process object behind a pid. */
    EProcess process(int pid) {
        return kernel.clientIds().process(Integer.toUnsignedLong(pid));
    }

    /** WaitForDebugEventEx with the fixture timeout; fails the test on timeout. */
    DebugEvent next() {
        return next(k32);
    }

    static DebugEvent next(Kernel32 debugger) {
        UserPointer<DebugEvent> e = UserPointer.empty();
        if (!debugger.waitForDebugEventEx(e, TIMEOUT_MS)) {
            fail("no debug event within " + TIMEOUT + " (Win32 error " + debugger.getLastError() + ")");
        }
        return e.get();
    }

    /** The next event, which must be of the given kind. */
    DebugEvent next(DebugEventCode expected) {
        DebugEvent e = next();
        assertEquals(expected, e.code(), () -> "unexpected event " + e);
        return e;
    }

    /** Continues an event with DBG_CONTINUE; fails the test if that fails. */
    void resume(DebugEvent e) {
        resume(e, NtStatus.DBG_CONTINUE);
    }

    void resume(DebugEvent e, NtStatus status) {
        assertTrue(k32.continueDebugEvent(e.processId(), e.threadId(), status),
                () -> "ContinueDebugEvent failed, error " + k32.getLastError() + " for " + e);
    }

    /**
     * Continues events (breakpoints and others as handled, first-chance exceptions as not handled) until the
     * given kind arrives, and returns it without continuing it. Fails if it does not come.
     */
    DebugEvent skipUntil(DebugEventCode wanted) {
        List<DebugEvent> seen = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            DebugEvent e = next();
            if (e.code() == wanted) {
                return e;
            }
            seen.add(e);
            resume(e, e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT ? passThrough(e) : NtStatus.DBG_CONTINUE);
        }
        fail(wanted + " never arrived; saw " + seen);
        return null;
    }

    /** Continues every event until EXIT_PROCESS of {@code pid} was continued; returns its exit code. */
    int runToExit(int pid) {
        while (true) {
            DebugEvent e = next();
            resume(e, e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT ? passThrough(e) : NtStatus.DBG_CONTINUE);
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT && e.processId() == pid) {
                return ((dev.debugport.nt.DebugEventInfo.ExitProcessDebugInfo) e.info()).exitCode();
            }
        }
    }

    /** How a plain debugger answers an exception: breakpoints handled, everything else not handled. */
    static NtStatus passThrough(DebugEvent e) {
        int code = ((dev.debugport.nt.DebugEventInfo.ExceptionDebugInfo) e.info()).exceptionRecord().code();
        return code == NtStatus.STATUS_BREAKPOINT.value() || code == NtStatus.STATUS_SINGLE_STEP.value()
                || code == NtStatus.STATUS_WX86_BREAKPOINT.value() ? NtStatus.DBG_CONTINUE : NtStatus.DBG_EXCEPTION_NOT_HANDLED;
    }

    /** Waits for a process to exit (its object signalled); returns its exit status. */
    static int awaitExit(EProcess process) {
        assertTrue(SimMachine.awaitExit(process, TIMEOUT), () -> process + " did not exit within " + TIMEOUT);
        return process.exitStatus();
    }

    /** Asserts that no event arrives within {@code millis} (a wait that must time out with ERROR_SEM_TIMEOUT). */
    void assertNoEvent(int millis) {
        UserPointer<DebugEvent> e = UserPointer.empty();
        if (k32.waitForDebugEventEx(e, millis)) {
            fail("unexpected event " + e.get());
        }
        assertEquals(dev.debugport.nt.Win32Error.ERROR_SEM_TIMEOUT, k32.getLastError());
    }

    /** The number of handles open in the debugger's table. */
    int debuggerHandleCount() {
        return debuggerProcess.handleTable().size();
    }

    /** Whether a handle is open in the debugger's table. */
    boolean isOpen(Handle h) {
        return debuggerProcess.handleTable().lookup(h) != null;
    }

    /**
     * Ends the test machine: releases stop points, closes the debugger (its debug objects detach or kill their
     * debuggees), terminates every guest, and checks that none is left running.
     */
    @Override
    public void close() {
        machine.stopPoints().releaseAll();
        machine.terminateAllGuests(0xDEAD, Duration.ofMillis(1));
        for (EThread t : List.copyOf(debuggerProcess.threads())) {
            if (!t.hasExited()) {
                machine.exitHostThread(t, 0);
            }
        }
        List<EProcess> stuck = machine.terminateAllGuests(0xDEAD, TIMEOUT);
        assertTrue(stuck.isEmpty(), () -> "guests still running after the test: " + stuck);
    }
}
