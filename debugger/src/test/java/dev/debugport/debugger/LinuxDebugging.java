package dev.debugport.debugger;

import dev.debugport.dbgk.Dbgk;
import dev.debugport.debugger.session.DebugSession;
import dev.debugport.debugger.target.AnalysisModule;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.linux.platform.LinuxPlatform;
import dev.debugport.linux.platform.LinuxProgram;
import dev.debugport.linux.ptrace.SpawnOptions;
import dev.debugport.linux.ptrace.Stdio;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A debugger on the Linux platform with one of the test build's C programs (target/test-bin) launched under it, its
 * printed output, and the analysis module's ELF symbols and CFI stack walker (the decoder stays the test double's:
 * these tests read stacks, not disassembly). Closing it quits the session, which kills the program.
 */
final class LinuxDebugging implements AutoCloseable {
    private final DebuggerTranscript transcript = new DebuggerTranscript();
    final Debugger debugger;
    private final LinuxPlatform platform = new LinuxPlatform();
    private final EThread debuggerThread;

    LinuxDebugging(String program) {
        Path path = Path.of(System.getProperty("debugport.testBin", "target/test-bin")).toAbsolutePath().resolve(program);
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("test program missing: " + path + " (run the Maven test build)");
        }
        Kernel kernel = new Kernel(platform);
        platform.attach(kernel);
        Dbgk dbgk = Dbgk.initialize(kernel);
        debuggerThread = platform.createHostThread("debugport");
        Kernel32 k32 = new Kernel32(dbgk, debuggerThread);
        k32.dbgUi().connectToDbg();
        k32.debugSetProcessKillOnExit(true);
        SpawnOptions quiet = SpawnOptions.defaults().withStdin(Stdio.NULL).withStdout(Stdio.NULL).withStderr(Stdio.NULL);
        UserPointer<ProcessInformation> info = UserPointer.empty();
        if (!k32.createProcess(new LinuxProgram(List.of(path.toString()), quiet), DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS, info)) {
            platform.close();
            throw new IllegalStateException("CreateProcess failed: " + k32.getLastError());
        }
        k32.closeHandle(info.get().process());
        k32.closeHandle(info.get().thread());
        DebugSession session = new DebugSession(kernel, k32, new AnalysisModule(() -> new FakeAnalysis().disassembler()), transcript.out, false);
        session.expectTarget();
        debugger = transcript.start(session, commandLine -> {
            throw new IllegalArgumentException(".create is not used by these tests");
        });
    }

    /** Runs a command line and returns what it printed. */
    String run(String line) {
        return transcript.run(debugger, line);
    }

    @Override
    public void close() {
        try {
            if (!debugger.finished()) {
                debugger.execute("q");
            }
            if (!debuggerThread.hasExited()) {
                platform.exitHostThread(debuggerThread, 0);
            }
        } finally {
            platform.close();
        }
    }
}
