package dev.debugport.dbgk;

import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import java.util.List;

/**
 * A walk of a process's thread list in creation order, as DbgkpPostFakeThreadMessages makes it with
 * PsGetNextProcessThread: from a given thread, or from the head. It walks one snapshot of the list and, when that is
 * used up, asks the process for threads inserted after the last one seen, so a thread created during the walk is still
 * visited. ({@link EProcess#nextThread} copies and searches the whole list at every step: posting the messages of a
 * process with a thousand threads was quadratic.)
 */
final class ThreadWalk {
    private final EProcess process;
    private List<EThread> snapshot = List.of();
    private int index;
    private EThread current;

    /** A walk whose first thread is {@code start}, or the head of the list when {@code start} is null. */
    ThreadWalk(EProcess process, EThread start) {
        this.process = process;
        if (start == null) {
            snapshot = List.copyOf(process.threads());
            advance();
        } else {
            current = start;
            resumeAfter(start);
        }
    }

    /** The thread the walk stands on (null once it has ended). */
    EThread current() {
        return current;
    }

    /** Steps to the following thread and returns it (null at the end of the list, and ever after). */
    EThread next() {
        if (current != null) {
            advance();
        }
        return current;
    }

    private void advance() {
        if (index >= snapshot.size() && current != null) {
            // The snapshot is used up: threads inserted since come after the last one seen.
            resumeAfter(current);
        }
        current = index < snapshot.size() ? snapshot.get(index++) : null;
    }

    /** A fresh snapshot, positioned after {@code thread}; empty when it has left the list (the walk ends there). */
    private void resumeAfter(EThread thread) {
        List<EThread> list = List.copyOf(process.threads());
        int at = list.indexOf(thread);
        snapshot = at < 0 ? List.of() : list;
        index = at + 1;
    }
}
