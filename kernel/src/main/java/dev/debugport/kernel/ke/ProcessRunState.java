package dev.debugport.kernel.ke;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A process-wide freeze count (KPROCESS freeze state): while it is non-zero no thread of the process runs user code,
 * whatever its own suspend count. DbgkpSuspendProcess / DbgkpResumeProcess use it to keep the rest of a process
 * still while one of its threads waits for the debugger.
 */
public final class ProcessRunState {
    private final Set<Waiter> members = new LinkedHashSet<>();
    private int freezeCount;
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

    void signalMembersLocked() {
        for (Waiter w : members) {
            w.condition().signal();
        }
    }

    /** Implements KeFreezeAllThreads. */
    public void freeze() {
        Dispatcher.locked(() -> freezeCount++);
    }

    /** Implements KeThawAllThreads. */
    public void thaw() {
        Dispatcher.locked(() -> {
            if (freezeCount > 0 && --freezeCount == 0) {
                for (Waiter w : members) {
                    w.condition().signal();
                }
            }
        });
    }

    public int freezeCount() {
        Dispatcher.LOCK.lock();
        try {
            return freezeCount;
        } finally {
            Dispatcher.LOCK.unlock();
        }
    }

    int freezeCountLocked() {
        return freezeCount;
    }

    Set<Waiter> members() {
        return members;
    }
}
