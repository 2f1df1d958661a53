package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.Ptrace;
import dev.debugport.linux.ptrace.PtraceConstants;
import dev.debugport.linux.ptrace.SigInfo;
import dev.debugport.linux.ptrace.WaitStatus;

/**
 * Turns a traced thread's wait status into a {@link TraceEvent}: how it ended, or which ptrace-stop it is in, with
 * what the kernel adds to the stop (the siginfo of a signal-delivery-stop, the PTRACE_GETEVENTMSG value of a
 * PTRACE_EVENT stop). Those are read while the thread still sits in the stop, so decoding happens on the tracer thread
 * right after the status is consumed.
 */
final class StatusDecoder {
    private final Ptrace ptrace;

    StatusDecoder(Ptrace ptrace) {
        this.ptrace = ptrace;
    }

    /** The event {@code st} reports for {@code t} (PTRACE_EVENT_STOP: a new thread's first stop, or an interrupt's). */
    TraceEvent decode(TracedThread t, WaitStatus st) {
        int pid = t.proc.pid;
        int tid = t.tid;
        return switch (st) {
            case WaitStatus.Exited _, WaitStatus.Killed _ -> ending(pid, tid, st);
            case WaitStatus.SignalStopped s -> new TraceEvent.SignalStop(pid, tid, s.signal(),
                    ptrace.getSigInfo(tid).orElse(new SigInfo(s.signal(), 0, 0, 0, 0, 0, 0, null)));
            case WaitStatus.SyscallStopped s -> new TraceEvent.SyscallStop(pid, tid);
            case WaitStatus.GroupStopped g -> new TraceEvent.GroupStop(pid, tid, g.signal());
            case WaitStatus.Continued c -> new TraceEvent.OtherStop(pid, tid, c.raw());
            case WaitStatus.EventStopped e -> switch (e.event()) {
                case PtraceConstants.PTRACE_EVENT_CLONE -> new TraceEvent.CloneStop(pid, tid, eventMsg(tid));
                case PtraceConstants.PTRACE_EVENT_FORK -> new TraceEvent.ForkStop(pid, tid, eventMsg(tid));
                case PtraceConstants.PTRACE_EVENT_VFORK -> new TraceEvent.VforkStop(pid, tid, eventMsg(tid));
                case PtraceConstants.PTRACE_EVENT_VFORK_DONE -> new TraceEvent.VforkDoneStop(pid, tid, eventMsg(tid));
                case PtraceConstants.PTRACE_EVENT_EXEC -> new TraceEvent.ExecStop(pid, tid, eventMsg(tid));
                case PtraceConstants.PTRACE_EVENT_EXIT -> new TraceEvent.ExitStop(pid, tid, eventMsg(tid));
                case PtraceConstants.PTRACE_EVENT_SECCOMP -> new TraceEvent.SeccompStop(pid, tid,
                        ptrace.getEventMsg(tid).orElse(0L));
                case PtraceConstants.PTRACE_EVENT_STOP -> t.firstStopSeen
                        ? new TraceEvent.InterruptStop(pid, tid)
                        : new TraceEvent.NewThreadFirstStop(pid, tid);
                default -> new TraceEvent.OtherStop(pid, tid, e.raw());
            };
        };
    }

    /** The event of an end ({@link WaitStatus#isGone}): Exited with its code, or Killed with its signal. */
    static TraceEvent ending(int pid, int tid, WaitStatus st) {
        return st instanceof WaitStatus.Killed k ? new TraceEvent.Killed(pid, tid, k.signal(), k.coreDumped())
                : new TraceEvent.Exited(pid, tid, ((WaitStatus.Exited) st).code());
    }

    private int eventMsg(int tid) {
        return (int) (long) ptrace.getEventMsg(tid).orElse(0L);
    }
}
