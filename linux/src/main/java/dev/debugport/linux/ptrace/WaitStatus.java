package dev.debugport.linux.ptrace;

/**
 * A decoded {@code waitpid} status. Layout of the int (glibc's {@code W*} macros):
 *
 * <pre>
 *   exited:    (code &lt;&lt; 8)                             low 7 bits 0
 *   killed:    signal | 0x80 if a core was dumped        low 7 bits = signal, not 0x7f
 *   stopped:   (event &lt;&lt; 16) | (signal &lt;&lt; 8) | 0x7f    event 0 = signal-delivery-stop (or a plain stop)
 *   continued: 0xffff
 * </pre>
 *
 * Under {@code PTRACE_SEIZE}, event 0x80 ({@code PTRACE_EVENT_STOP}) is a group-stop when the signal is a stop signal,
 * and otherwise (SIGTRAP) an interrupt stop ({@code PTRACE_INTERRUPT}) or a new tracee's first stop. With
 * {@code PTRACE_O_TRACESYSGOOD}, a syscall-stop has signal {@code SIGTRAP | 0x80}.
 */
public sealed interface WaitStatus {
    /** The raw status. */
    int raw();

    /** The thread ended with {@code _exit(code)} (for a thread-group leader: the process exited). */
    record Exited(int raw, int code) implements WaitStatus {
    }

    /** The thread was killed by {@code signal}. */
    record Killed(int raw, int signal, boolean coreDumped) implements WaitStatus {
    }

    /** A signal-delivery-stop (or, without ptrace, a plain stop) with {@code signal}. */
    record SignalStopped(int raw, int signal) implements WaitStatus {
    }

    /** A {@code PTRACE_EVENT_*} stop other than a group-stop (event 1-7, or 0x80 with SIGTRAP). */
    record EventStopped(int raw, int event, int signal) implements WaitStatus {
    }

    /** A group-stop reported under {@code PTRACE_SEIZE}: {@code PTRACE_EVENT_STOP} with a stop signal. */
    record GroupStopped(int raw, int signal) implements WaitStatus {
    }

    /** A syscall-enter or syscall-exit stop ({@code PTRACE_O_TRACESYSGOOD}: signal {@code SIGTRAP | 0x80}). */
    record SyscallStopped(int raw) implements WaitStatus {
    }

    /** The process was resumed by SIGCONT ({@code WCONTINUED}). */
    record Continued(int raw) implements WaitStatus {
    }

    /** Decodes a raw {@code waitpid} status. */
    static WaitStatus decode(int raw) {
        int low = raw & 0x7f;
        if (low == 0) {
            return new Exited(raw, (raw >> 8) & 0xff);
        }
        if (raw == 0xffff) {
            return new Continued(raw);
        }
        if ((raw & 0xff) == 0x7f) {
            int signal = (raw >> 8) & 0xff;
            int event = (raw >>> 16) & 0xffff;
            if (event == 0) {
                return signal == (Signals.SIGTRAP | 0x80) ? new SyscallStopped(raw) : new SignalStopped(raw, signal);
            }
            if (event == PtraceConstants.PTRACE_EVENT_STOP && Signals.isStopSignal(signal)) {
                return new GroupStopped(raw, signal);
            }
            return new EventStopped(raw, event, signal);
        }
        return new Killed(raw, low, (raw & 0x80) != 0);
    }

    /** True for any kind of stop (the thread is in a ptrace-stop and waits for the tracer). */
    default boolean isStop() {
        return this instanceof SignalStopped || this instanceof EventStopped || this instanceof GroupStopped
                || this instanceof SyscallStopped;
    }

    /** True when the thread no longer exists (exited or killed). */
    default boolean isGone() {
        return this instanceof Exited || this instanceof Killed;
    }
}
