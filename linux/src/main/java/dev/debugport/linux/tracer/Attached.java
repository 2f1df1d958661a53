package dev.debugport.linux.tracer;

import java.util.List;

/**
 * An attached process: every thread seized and stopped.
 *
 * @param pid  the process id
 * @param tids every thread, the leader first, all in a ptrace-stop
 */
public record Attached(int pid, List<Integer> tids) {
    public Attached {
        tids = List.copyOf(tids);
    }
}
