package dev.debugport.debugger;

import dev.debugport.dbgk.Dbgk;
import dev.debugport.debugger.session.DebugSession;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.sim.SimMachine;
import dev.debugport.sim.programs.BuiltInPrograms;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;

/** A debugger on a simulated machine with one built-in program launched under it, and its printed output. */
final class SimDebugging implements AutoCloseable {
    final SimMachine machine = SimMachine.create();
    final FakeAnalysis analysis = new FakeAnalysis();
    private final DebuggerTranscript transcript = new DebuggerTranscript();
    final Debugger debugger;
    private final EThread debuggerThread;

    SimDebugging(String program) {
        Dbgk dbgk = Dbgk.initialize(machine.kernel());
        debuggerThread = machine.createHostThread("debugport.exe");
        Kernel32 k32 = new Kernel32(dbgk, debuggerThread);
        UserPointer<ProcessInformation> info = UserPointer.empty();
        if (!k32.createProcess(BuiltInPrograms.byName(program).orElseThrow(), DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS, info)) {
            throw new IllegalStateException("CreateProcess failed: " + k32.getLastError());
        }
        k32.closeHandle(info.get().process());
        k32.closeHandle(info.get().thread());
        DebugSession session = new DebugSession(machine.kernel(), k32, analysis, transcript.out, false);
        session.expectTarget();
        debugger = transcript.start(session, commandLine -> BuiltInPrograms.byName(commandLine.trim())
                .orElseThrow(() -> new IllegalArgumentException("No built-in program '" + commandLine.trim() + "'")));
    }

    /** Runs a command line and returns what it printed. */
    String run(String line) {
        return transcript.run(debugger, line);
    }

    String all() {
        return transcript.all();
    }

    @Override
    public void close() {
        if (!debugger.finished()) {
            debugger.execute("q");
        }
        machine.exitHostThread(debuggerThread, 0);
    }
}
