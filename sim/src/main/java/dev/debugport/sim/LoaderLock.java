package dev.debugport.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * LdrpLoaderLock: a reentrant lock held by a guest thread across a load or unload, including while the LOAD_DLL or
 * UNLOAD_DLL event is out (as on Windows, where the loader lock is held while the debugger looks at the event). A
 * guest waiting for it waits as guests do, so it can still be terminated.
 */
final class LoaderLock {
    private SimThread owner;
    private int depth;
    private final Set<Mailbox> waiting = new HashSet<>();

    /** Implements RtlEnterCriticalSection on the loader lock. */
    void acquire(SimThread thread) {
        synchronized (this) {
            if (tryTake(thread)) {
                return;
            }
            waiting.add(thread.mailbox());
        }
        try {
            thread.awaitCondition(() -> tryTake(thread), SimThreadState.WAITING);
        } catch (GuestUnwind.Termination e) {
            // Terminated right after taking it: do not leave it held by a thread that will never release it.
            synchronized (this) {
                if (owner == thread && depth == 1) {
                    depth = 0;
                    owner = null;
                }
            }
            wakeWaiters();
            throw e;
        } finally {
            synchronized (this) {
                waiting.remove(thread.mailbox());
            }
        }
    }

    /** Implements RtlLeaveCriticalSection on the loader lock. */
    void release(SimThread thread) {
        synchronized (this) {
            if (owner != thread) {
                throw new IllegalStateException(thread + " does not own the loader lock");
            }
            if (--depth > 0) {
                return;
            }
            owner = null;
        }
        wakeWaiters();
    }

    private synchronized boolean tryTake(SimThread thread) {
        if (owner == null) {
            owner = thread;
            depth = 1;
            return true;
        }
        if (owner == thread) {
            depth++;
            return true;
        }
        return false;
    }

    private void wakeWaiters() {
        List<Mailbox> wake;
        synchronized (this) {
            wake = new ArrayList<>(waiting);
        }
        wake.forEach(Mailbox::wake);
    }
}
