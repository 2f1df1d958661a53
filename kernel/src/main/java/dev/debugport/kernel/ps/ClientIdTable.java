package dev.debugport.kernel.ps;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PspCidTable: allocates process and thread ids from one space (multiples of 4, as on Windows) and finds live
 * processes and threads by id.
 */
public final class ClientIdTable {
    private final AtomicLong next = new AtomicLong(0x100);
    private final Map<Long, EProcess> processes = new ConcurrentHashMap<>();
    private final Map<Long, EThread> threads = new ConcurrentHashMap<>();
    /** The machine-wide run state every registered process joins (null: none, as in unit tests of this table). */
    private final dev.debugport.kernel.ke.MachineRunState machine;

    public ClientIdTable() {
        this(null);
    }

    /** A table whose registered processes join {@code machine}'s freeze count (KeFreezeExecution). */
    public ClientIdTable(dev.debugport.kernel.ke.MachineRunState machine) {
        this.machine = machine;
    }

    public long allocate() {
        return next.getAndAdd(4);
    }

    public void registerProcess(EProcess process) {
        if (machine != null) {
            process.runState().joinMachine(machine);
        }
        processes.put(process.pid(), process);
    }

    public void registerThread(EThread thread) {
        threads.put(thread.tid(), thread);
    }

    public void removeProcess(EProcess process) {
        processes.remove(process.pid(), process);
    }

    public void removeThread(EThread thread) {
        threads.remove(thread.tid(), thread);
    }

    /** PsLookupProcessByProcessId (no reference is taken; callers that keep it reference it). */
    public EProcess process(long pid) {
        return processes.get(pid);
    }

    public EThread thread(long tid) {
        return threads.get(tid);
    }

    /** The live processes, in id order (PsActiveProcessHead order). */
    public List<EProcess> allProcesses() {
        Collection<EProcess> all = processes.values();
        return all.stream().sorted((a, b) -> Long.compare(a.pid(), b.pid())).toList();
    }
}
