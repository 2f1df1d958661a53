package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.dbgk.Dbgk;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.Handle;
import dev.debugport.sim.SimMachine;
import dev.debugport.sim.SimProgram;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import dev.debugport.win32.testing.DebuggerFixture;
import java.time.Duration;
import java.util.List;

/**
 * A simulated machine with Dbgk installed and one debugger (a host process "debugger.exe" with one thread and its
 * Kernel32, whose debug loop {@link DebuggerFixture} drives), plus the waits conformance tests need. Every wait has a
 * timeout; nothing sleeps.
 */
final class SimDebugFixture extends DebuggerFixture implements AutoCloseable {
    /** How long any single expected event may take. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int TIMEOUT_MS = (int) TIMEOUT.toMillis();

    final SimMachine machine = SimMachine.create();
    final Kernel kernel = machine.kernel();
    final Dbgk dbgk = Dbgk.initialize(kernel);
    final EThread debuggerThread = machine.createHostThread("debugger.exe");
    final EProcess debuggerProcess = debuggerThread.process();
    final Kernel32 k32 = new Kernel32(dbgk, debuggerThread);

    SimDebugFixture() {
        super(TIMEOUT);
    }

    @Override
    protected Kernel32 debugger() {
        return k32;
    }

    /** The debugger thread's debug object (DbgUiGetThreadDebugObject), once DbgUi has created it. */
    Handle dbgUiHandle() {
        return k32.dbgUi().getThreadDebugObject();
    }

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

    /** WaitForDebugEventEx on another debugger with the fixture timeout; fails the test on timeout. */
    static DebugEvent next(Kernel32 debugger) {
        return next(debugger, TIMEOUT);
    }

    /** Waits for a process to exit (its object signalled); returns its exit status. */
    static int awaitExit(EProcess process) {
        assertTrue(SimMachine.awaitExit(process, TIMEOUT), () -> process + " did not exit within " + TIMEOUT);
        return process.exitStatus();
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
