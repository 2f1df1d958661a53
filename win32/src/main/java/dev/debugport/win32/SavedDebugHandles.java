package dev.debugport.win32;

import dev.debugport.nt.Handle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * kernel32's per-thread list of the thread and process handles debug events handed out (kept in TEB
 * DbgSsReserved[0]; spec dbgk.md §12): recorded at delivery, marked by EXIT_THREAD / EXIT_PROCESS, and closed when
 * the debugger continues a marked record's event or stops debugging its process.
 */
final class SavedDebugHandles {
    /** One saved handle: a process handle has thread id 0. */
    private static final class Entry {
        final int processId;
        final int threadId;
        final Handle handle;
        boolean marked;

        Entry(int processId, int threadId, Handle handle) {
            this.processId = processId;
            this.threadId = threadId;
            this.handle = handle;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    /** How many entries are marked: most continues have none to close, and then skip the walk of the list. */
    private int marked;

    synchronized void saveThread(int pid, int tid, Handle hThread) {
        entries.add(new Entry(pid, tid, hThread));
    }

    synchronized void saveProcess(int pid, Handle hProcess) {
        entries.add(new Entry(pid, 0, hProcess));
    }

    /** EXIT_THREAD: the thread's record will be closed after the debugger continues. */
    synchronized void markThread(int pid, int tid) {
        entries.stream().filter(e -> e.processId == pid && e.threadId == tid).forEach(this::mark);
    }

    /** EXIT_PROCESS: the process record and the exiting thread's record. */
    synchronized void markProcess(int pid, int tid) {
        entries.stream().filter(e -> e.processId == pid && (e.threadId == 0 || e.threadId == tid)).forEach(this::mark);
    }

    private void mark(Entry e) {
        if (!e.marked) {
            e.marked = true;
            marked++;
        }
    }

    /** After a successful ContinueDebugEvent: closes every marked record whose pid or tid matches. */
    void closeMarked(int pid, int tid, Consumer<Handle> close) {
        synchronized (this) {
            if (marked == 0) {
                return;
            }
        }
        removeAndClose(e -> e.marked && (e.processId == pid || e.threadId == tid), close);
    }

    /** DebugActiveProcessStop: closes every record of the process, marked or not. */
    void closeAllOf(int pid, Consumer<Handle> close) {
        removeAndClose(e -> e.processId == pid, close);
    }

    private void removeAndClose(java.util.function.Predicate<Entry> which, Consumer<Handle> close) {
        List<Handle> toClose = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (which.test(e)) {
                    it.remove();
                    toClose.add(e.handle);
                    if (e.marked) {
                        marked--;
                    }
                }
            }
        }
        toClose.forEach(close);
    }
}
