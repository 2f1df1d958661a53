package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.SigInfo;
import dev.debugport.linux.ptrace.Signals;
import dev.debugport.linux.ptrace.WaitStatus;

/**
 * A decoded ptrace stop or a tracee's end, delivered to a {@link TraceListener} on the tracer thread.
 *
 * <p>Every event names the process ({@link #pid()}, the thread-group id) and the thread ({@link #tid()}). For a
 * {@linkplain #isStop() stop}, the thread stays stopped until someone resumes it (the listener, with the
 * {@code Ptrace} it is given, or a command submitted to the tracer); the NT mapping (spec/ecosystem.md A.6) turns
 * these into debug events:
 *
 * <pre>
 *   ExecStop            CREATE_PROCESS (launch) / a new image after execve
 *   CloneStop           CREATE_THREAD (in the parent; the new thread reports NewThreadFirstStop)
 *   ForkStop/VforkStop  a child process (auto-attached; it reports NewThreadFirstStop with tid == pid)
 *   ExitStop            EXIT_THREAD, or EXIT_PROCESS on the last thread (the thread can still be inspected)
 *   SignalStop          an exception, first chance (SIGTRAP int3/step/hw, SIGSEGV, SIGILL, SIGFPE...)
 *   InterruptStop       a break-in (PTRACE_INTERRUPT)
 *   GroupStop           job control (SIGSTOP/SIGTSTP...): resume with PTRACE_LISTEN to keep the stop
 *   Exited / Killed     the thread is gone (for tid == pid: the process is gone and reaped)
 * </pre>
 */
public sealed interface TraceEvent {
    /** The process (thread-group id). */
    int pid();

    /** The thread. */
    int tid();

    /** True when the thread is in a ptrace-stop and waits to be resumed. */
    default boolean isStop() {
        return !(this instanceof Exited || this instanceof Killed);
    }

    /** {@code PTRACE_EVENT_EXEC}: the thread finished an execve; {@code formerTid} is the tid that called it. */
    record ExecStop(int pid, int tid, int formerTid) implements TraceEvent {
    }

    /** {@code PTRACE_EVENT_CLONE}: the thread created {@code newTid} (normally a thread of the same process). */
    record CloneStop(int pid, int tid, int newTid) implements TraceEvent {
    }

    /** {@code PTRACE_EVENT_FORK}: the thread forked process {@code newPid}. */
    record ForkStop(int pid, int tid, int newPid) implements TraceEvent {
    }

    /** {@code PTRACE_EVENT_VFORK}: the thread vforked process {@code newPid} (it waits until the child execs or exits). */
    record VforkStop(int pid, int tid, int newPid) implements TraceEvent {
    }

    /** {@code PTRACE_EVENT_VFORK_DONE}: the vfork child {@code childPid} released the parent. */
    record VforkDoneStop(int pid, int tid, int childPid) implements TraceEvent {
    }

    /**
     * {@code PTRACE_EVENT_EXIT}: the thread is exiting; registers and memory can still be read.
     *
     * @param waitStatus the status it will exit with (GETEVENTMSG), in waitpid format
     */
    record ExitStop(int pid, int tid, int waitStatus) implements TraceEvent {
        public WaitStatus exitStatus() {
            return WaitStatus.decode(waitStatus);
        }
    }

    /**
     * A signal-delivery-stop: {@code signal} is about to be delivered. Resume with the signal to deliver it, with 0 to
     * suppress it (the "handled" continue).
     *
     * @param info the siginfo (si_code tells int3 SI_KERNEL, single step TRAP_TRACE, watchpoint TRAP_HWBKPT, fault
     *             addresses...); a zero siginfo with only signo set if the thread died before it could be read
     */
    record SignalStop(int pid, int tid, int signal, SigInfo info) implements TraceEvent {
        @Override
        public String toString() {
            return "SignalStop[pid=" + pid + ", tid=" + tid + ", " + Signals.name(signal) + ", " + info + "]";
        }
    }

    /** A syscall-enter or syscall-exit stop (only after {@code PTRACE_SYSCALL} with {@code PTRACE_O_TRACESYSGOOD}). */
    record SyscallStop(int pid, int tid) implements TraceEvent {
    }

    /** {@code PTRACE_EVENT_SECCOMP}, with the filter's data. */
    record SeccompStop(int pid, int tid, long data) implements TraceEvent {
    }

    /** A group-stop under PTRACE_SEIZE ({@code PTRACE_EVENT_STOP} with a stop signal). */
    record GroupStop(int pid, int tid, int signal) implements TraceEvent {
    }

    /**
     * {@code PTRACE_EVENT_STOP} with SIGTRAP on a thread that has stopped before: caused by {@code PTRACE_INTERRUPT},
     * or the end of a group-stop (SIGCONT) after {@code PTRACE_LISTEN}. Resume it as it was running.
     */
    record InterruptStop(int pid, int tid) implements TraceEvent {
    }

    /** The first stop of an auto-attached new thread or child process ({@code PTRACE_EVENT_STOP}). */
    record NewThreadFirstStop(int pid, int tid) implements TraceEvent {
        /** True for the first thread of a new process (fork/vfork child). */
        public boolean isNewProcess() {
            return pid == tid;
        }
    }

    /** A stop this layer does not classify (an unknown event number). */
    record OtherStop(int pid, int tid, int rawStatus) implements TraceEvent {
    }

    /** The thread ended with {@code _exit(code)}; for {@code tid == pid} the process exited and was reaped. */
    record Exited(int pid, int tid, int code) implements TraceEvent {
        public boolean isProcessExit() {
            return pid == tid;
        }
    }

    /** The thread was killed by {@code signal}; for {@code tid == pid} the process is gone and was reaped. */
    record Killed(int pid, int tid, int signal, boolean coreDumped) implements TraceEvent {
        public boolean isProcessExit() {
            return pid == tid;
        }

        @Override
        public String toString() {
            return "Killed[pid=" + pid + ", tid=" + tid + ", " + Signals.name(signal) + (coreDumped ? ", core" : "")
                    + "]";
        }
    }
}
