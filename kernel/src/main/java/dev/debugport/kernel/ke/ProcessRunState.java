package dev.debugport.kernel.ke;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A process-wide freeze count (KPROCESS freeze state): while it is non-zero no thread of the process runs user code,
 * whatever its own suspend count. DbgkpSuspendProcess / DbgkpResumeProcess use it to keep the rest of a process
 * still while one of its threads waits for the debugger.
 */
public final class ProcessRunState extends FreezeCount {
    private final Set<Waiter> members = new LinkedHashSet<>();
    /** The machine this process runs on (KeFreezeExecution's count), or null before it was registered. */
    private MachineRunState machine;

    /** Makes the machine-wide freeze count ({@link MachineRunState}) apply to this process's threads. */
    public void joinMachine(MachineRunState machineRunState) {
        Dispatcher.locked(() -> {
            machine = machineRunState;
            machineRunState.joinLocked(this);
        });
    }

    int machineFreezeCountLocked() {
        return machine == null ? 0 : machine.freezeCountLocked();
    }

    @Override
    void wakeThreadsLocked() {
        for (Waiter w : members) {
            w.condition().signal();
        }
    }

    Set<Waiter> members() {
        return members;
    }
}
