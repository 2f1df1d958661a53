package dev.debugport.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessManager;
import dev.debugport.nt.Handle;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh machine per test, a host thread to create processes from, and waits with timeouts. */
abstract class SimTestBase {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    SimMachine machine;
    EThread host;

    @BeforeEach
    void createMachine() {
        machine = SimMachine.create();
        host = machine.createHostThread("test.exe");
    }

    @AfterEach
    void stopGuests() {
        machine.stopPoints().releaseAll();
        machine.terminateAllGuests(1, TIMEOUT);
    }

    RecordingHooks installRecordingHooks() {
        RecordingHooks hooks = new RecordingHooks();
        machine.kernel().installDebuggerHooks(hooks);
        return hooks;
    }

    ProcessManager.CreatedProcess start(SimProgram program) {
        return start(program, false);
    }

    ProcessManager.CreatedProcess start(SimProgram program, boolean suspended) {
        NtResult<ProcessManager.CreatedProcess> created = machine.createProcess(host, program, Handle.NULL, false, suspended);
        assertTrue(created.isSuccess(), () -> "createProcess: " + created.status());
        return created.value();
    }

    static int exitCodeOf(EProcess process) {
        assertTrue(SimMachine.awaitExit(process, TIMEOUT), () -> process + " did not exit");
        return process.exitStatus();
    }

    static int exitCodeOf(EThread thread) {
        assertTrue(SimMachine.awaitExit(thread, TIMEOUT), () -> thread + " did not exit");
        return thread.exitStatus();
    }

    void awaitState(EThread thread, SimThreadState state) {
        assertTrue(machine.awaitThreadState(thread, state, TIMEOUT),
                () -> thread + " is " + machine.threadState(thread) + ", expected " + state);
    }
}
