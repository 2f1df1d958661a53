package dev.debugport.dbgk;

import dev.debugport.kernel.ke.DispatcherObject;
import dev.debugport.kernel.ke.KEvent;
import dev.debugport.kernel.ob.NtObject;
import dev.debugport.kernel.ob.ObjectType;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DEBUG_OBJECT (spec dbgk.md §2): one FIFO list of debug events for every process attached to it, the
 * EventsPresent notification event (the object is waitable through it), a mutex guarding the list and the flags.
 */
public final class DebugObject extends NtObject {
    /** DEBUG_OBJECT_DELETE_PENDING: the last handle was closed; no new events or processes. */
    public static final int DELETE_PENDING = 0x1;
    /** DEBUG_OBJECT_KILL_ON_CLOSE: terminate the debuggees when the last handle closes. */
    public static final int KILL_ON_CLOSE = 0x2;
    /** Windows 10: created by a 32-bit WoW64 (i386/ARMNT) process. */
    public static final int WOW64_DEBUGGER = 0x4;

    final KEvent eventsPresent = new KEvent(KEvent.Type.NOTIFICATION, false);
    final ReentrantLock mutex = new ReentrantLock();
    /** Guarded by {@link #mutex}. */
    final List<DebugEvent> events = new LinkedList<>();
    /** Guarded by {@link #mutex}. */
    int flags;

    DebugObject(ObjectType type, int flags) {
        super(type);
        this.flags = flags;
    }

    @Override
    public DispatcherObject waitable() {
        return eventsPresent;
    }

    /** The object's flags (DELETE_PENDING, KILL_ON_CLOSE, WOW64_DEBUGGER). */
    public int flags() {
        mutex.lock();
        try {
            return flags;
        } finally {
            mutex.unlock();
        }
    }

    /** The number of queued events (delivered or not); for tests and diagnostics. */
    public int queuedEventCount() {
        mutex.lock();
        try {
            return events.size();
        } finally {
            mutex.unlock();
        }
    }

    /** Whether closing the object kills its debuggees (DEBUG_OBJECT_KILL_ON_CLOSE). */
    boolean killOnClose() {
        return (flags() & KILL_ON_CLOSE) != 0;
    }

    boolean deletePending() {
        return (flags & DELETE_PENDING) != 0;
    }
}
