package dev.debugport.kernel.ke;

/**
 * A freeze count guarded by the dispatcher lock: the counter behind KeFreezeAllThreads / KeThawAllThreads (one
 * process, {@link ProcessRunState}) and KeFreezeExecution / KeThawExecution (the whole machine,
 * {@link MachineRunState}). While it is non-zero the threads it covers may not run, whatever their own suspend
 * counts; the thaw that brings it back to zero wakes them so they re-check.
 */
abstract class FreezeCount {
    private int count;

    /** Signals every thread the count covers; called under the dispatcher lock. */
    abstract void wakeThreadsLocked();

    /** Implements KeFreezeAllThreads / KeFreezeExecution: no covered thread runs until the matching {@link #thaw()}. */
    public final void freeze() {
        Dispatcher.locked(() -> count++);
    }

    /** Implements KeThawAllThreads / KeThawExecution: lowers the count (never below zero); at zero wakes the threads. */
    public final void thaw() {
        Dispatcher.locked(() -> {
            if (count > 0 && --count == 0) {
                wakeThreadsLocked();
            }
        });
    }

    public final int freezeCount() {
        return Dispatcher.read(() -> count);
    }

    final int freezeCountLocked() {
        return count;
    }
}
