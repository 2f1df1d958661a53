package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.Ptrace;

/** A traced thread, as the tracer thread keeps it in its {@link TraceTable}. */
final class TracedThread {
    final int tid;
    final TracedProcess proc;
    /** Volatile: other threads ask {@link Tracer#isStopped}; only the tracer thread writes it. */
    volatile boolean stopped;
    /** False for an auto-attached thread until its first PTRACE_EVENT_STOP. */
    boolean firstStopSeen;
    /** This tracer sent PTRACE_INTERRUPT and has not seen the resulting stop yet. */
    boolean interruptPending;
    Ptrace.Resume lastResume = Ptrace.Resume.CONT;
    TraceEvent lastStop;
    /** The ptrace options this thread has, as far as the tracer knows (-1: not known). */
    long options;

    TracedThread(int tid, TracedProcess proc, boolean firstStopSeen) {
        this.tid = tid;
        this.proc = proc;
        this.firstStopSeen = firstStopSeen;
    }
}
