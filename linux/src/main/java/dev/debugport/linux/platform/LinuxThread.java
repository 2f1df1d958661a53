package dev.debugport.linux.platform;

import dev.debugport.kernel.ps.EThread;
import dev.debugport.linux.ptrace.UserRegs;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The platform's side of one Linux thread ({@link EThread#platformData()}). Mutated on the tracer thread only, but
 * for the register snapshot: it is volatile so that a debugger's GetThreadContext during an event is answered without
 * a round trip to the tracer, and a SetThreadContext may replace it (compare-and-set) for the tracer to write at the
 * resume.
 */
final class LinuxThread {
    final int tid;
    final LinuxProcess proc;
    volatile EThread ethread;
    /** In a ptrace-stop (as far as the platform has seen). */
    boolean stopped;
    /** PTRACE_INTERRUPT sent, its stop not seen yet. */
    boolean interruptSent;
    boolean gone;
    /** EXIT_THREAD / EXIT_PROCESS handed to the kernel (PspExitThread called). */
    boolean exitReported;
    /** At or past its exit stop: it runs only to die. */
    boolean exiting;
    /** Reasons the platform keeps the thread stopped whatever its run state (an event in flight, start-up...). */
    int holds;
    /** The signal to deliver at the next resume (0: none). */
    int pendingSignal;
    /** In a group-stop: resume with PTRACE_LISTEN. */
    boolean listen;
    /** A break-in (DebugBreakProcess) is to be raised when the thread would run next. */
    boolean breakInPending;
    /** The signal this thread dies of if its exception is not handled (second chance). */
    int fatalSignal;
    /** Debug registers DR0-3, DR6, DR7 as last read or written (index 0-3, 6, 7), once {@link #debugRegistersRead}. */
    final long[] dr = new long[8];
    /**
     * Whether {@link #dr} holds the thread's debug registers. A thread the platform saw start has none set (Linux
     * clears them in a clone child and at exec); an attached one has whatever it had, read when first asked for.
     */
    volatile boolean debugRegistersRead = true;
    /** Their values before the debugger touched them, restored at detach (null: untouched). */
    long[] originalDr;
    /**
     * The registers at the current stop (null once resumed): as read from the kernel, or as a debugger's
     * SetThreadContext left them, to be written right before the thread runs again (see {@link #written}).
     */
    volatile UserRegs regs;
    /** The registers the kernel holds at this stop, as last read or written by the tracer (tracer thread only). */
    UserRegs written;
    /** Work waiting for the thread to stop (a GetThreadContext on a running thread). */
    final List<Runnable> stopWaiters = new ArrayList<>();

    private static final VarHandle REGS;

    static {
        try {
            REGS = MethodHandles.lookup().findVarHandle(LinuxThread.class, "regs", UserRegs.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Any thread: replaces the register snapshot if it is still {@code expected} (the thread has not resumed). */
    boolean replaceRegs(UserRegs expected, UserRegs next) {
        return REGS.compareAndSet(this, expected, next);
    }

    /** Tracer thread, as the thread resumes: takes the snapshot away, so that no later replacement can succeed. */
    UserRegs takeRegs() {
        return (UserRegs) REGS.getAndSet(this, (UserRegs) null);
    }

    /**
     * Tracer thread: runs the work waiting for this thread to stop (it stopped, ended, or is no longer traced), each
     * once; work a waiter adds waits for the next stop.
     */
    void runStopWaiters() {
        if (stopWaiters.isEmpty()) {
            return;
        }
        List<Runnable> waiters = List.copyOf(stopWaiters);
        stopWaiters.clear();
        waiters.forEach(Runnable::run);
    }

    LinuxThread(int tid, LinuxProcess proc) {
        this.tid = tid;
        this.proc = proc;
    }

    @Override
    public String toString() {
        return "LinuxThread[" + proc.pid + "." + tid + (stopped ? " stopped" : "") + (holds > 0 ? " holds=" + holds : "") + "]";
    }
}
