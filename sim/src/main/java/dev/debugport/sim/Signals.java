package dev.debugport.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Named, sticky, manual-reset flags shared by the machine's guests and its host side (tests, the CLI): a guest that
 * should idle until told ({@link GuestApi#waitFor}) waits without burning CPU; a guest can also announce something
 * ({@link GuestApi#signal}) for the host to wait on ({@link SimMachine#awaitSignal}).
 */
final class Signals {
    private final Set<String> signalled = new HashSet<>();
    private final Set<Mailbox> waiting = new HashSet<>();

    void signal(String name) {
        List<Mailbox> wake;
        synchronized (this) {
            signalled.add(name);
            wake = new ArrayList<>(waiting);
            notifyAll();
        }
        wake.forEach(Mailbox::wake);
    }

    synchronized void reset(String name) {
        signalled.remove(name);
    }

    synchronized boolean isSignalled(String name) {
        return signalled.contains(name);
    }

    /** Host side: waits until {@code name} is signalled. */
    synchronized boolean await(String name, Duration timeout) {
        return MonitorWait.until(this, () -> signalled.contains(name), timeout);
    }

    /** Guest side: waits until {@code name} is signalled; termination unwinds the guest. */
    void guestWait(SimThread guest, String name) {
        synchronized (this) {
            waiting.add(guest.mailbox());
        }
        try {
            guest.awaitCondition(() -> isSignalled(name), SimThreadState.WAITING);
        } finally {
            synchronized (this) {
                waiting.remove(guest.mailbox());
            }
        }
    }
}
