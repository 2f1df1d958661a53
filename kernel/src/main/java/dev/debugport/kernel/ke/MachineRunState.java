package dev.debugport.kernel.ke;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The machine-wide freeze count of KeFreezeExecution / KeThawExecution: while it is non-zero no thread of any process
 * of the machine may run, whatever its own suspend count and its process's freeze count. The kernel debugger raises
 * it in KdEnterDebugger (the system becomes single-threaded while the debugger talks to its host) and lowers it in
 * KdExitDebugger.
 *
 * <p>Every process registered with the machine joins it ({@link ProcessRunState#joinMachine}); a thaw to zero wakes
 * every thread parked in {@link ThreadRunState#awaitRunnable()}. Guarded by the dispatcher lock, like every other run
 * state. Platforms learn about the change through {@code Platform.runStateChanged} ({@code Kernel.freezeExecution}).
 */
public final class MachineRunState extends FreezeCount {
    /** The processes of the machine; weak, so that exited processes need no unregistration. Guarded by the lock. */
    private final Set<ProcessRunState> processes = Collections.newSetFromMap(new WeakHashMap<>());

    @Override
    void wakeThreadsLocked() {
        for (ProcessRunState p : processes) {
            p.wakeThreadsLocked();
        }
    }

    void joinLocked(ProcessRunState process) {
        processes.add(process);
    }
}
