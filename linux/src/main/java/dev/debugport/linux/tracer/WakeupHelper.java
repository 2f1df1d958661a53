package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.Errno;
import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Ptrace;
import dev.debugport.linux.ptrace.PtraceConstants;
import dev.debugport.linux.ptrace.Signals;
import dev.debugport.linux.ptrace.SpawnOptions;
import dev.debugport.linux.ptrace.Spawner;
import dev.debugport.linux.ptrace.Stdio;
import dev.debugport.linux.ptrace.SysResult;
import dev.debugport.linux.ptrace.WaitStatus;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The child process that lets other threads wake the tracer out of its blocking waitid: {@code sh -c 'read -r line'}
 * reading a pipe whose write end only the JVM holds, seized by the tracer thread with PTRACE_O_EXITKILL. Any thread
 * wakes the tracer by sending it SIGUSR1 ({@link #wake()}); the signal-delivery-stop ends the tracer's waitid; the
 * tracer resumes it with the signal suppressed ({@link #onStatus}). At most one wake-up is in flight: the flag is
 * cleared when the tracer consumes the stop, before it drains its command queue, so a command queued after the drain
 * always sends a new signal. Idle, the helper sleeps in read(2). It ends when the tracer kills it, when the tracer
 * thread ends (EXITKILL), or when the JVM dies (EOF on the pipe).
 *
 * <p>Everything but {@link #wake()}, {@link #pid()} and {@link #wakeUps()} runs on the tracer thread.
 */
final class WakeupHelper {
    private static final System.Logger LOG = System.getLogger(WakeupHelper.class.getName());
    static final int WAKE_SIGNAL = Signals.SIGUSR1;

    private final Ptrace ptrace;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile int pid = -1;
    private volatile long wakeUps;
    private int pipeWriteEnd = -1;

    WakeupHelper(Ptrace ptrace) {
        this.ptrace = ptrace;
    }

    /** The helper's pid, or -1 when there is none (the tracer then polls). */
    int pid() {
        return pid;
    }

    /** How many wake-ups the tracer consumed. */
    long wakeUps() {
        return wakeUps;
    }

    /** Any thread: makes the tracer's waitid return soon (unless a wake-up is already on its way). */
    void wake() {
        int h = pid;
        if (h > 0 && pending.compareAndSet(false, true) && !Posix.kill(h, WAKE_SIGNAL).isOk()) {
            pending.set(false);
        }
    }

    /** Spawns and seizes the helper; returns its pid, or -1 (logged) if that failed. */
    int start() {
        SysResult<int[]> pipe = Posix.pipe(Posix.O_CLOEXEC);
        if (!pipe.isOk()) {
            LOG.log(System.Logger.Level.WARNING, "no wake-up helper (" + pipe + "); the tracer will poll");
            return -1;
        }
        int[] fds = pipe.orElseThrow();
        SpawnOptions so = SpawnOptions.defaults().withStdin(Stdio.fd(fds[0])).withStdout(Stdio.NULL)
                .withStderr(Stdio.NULL);
        SysResult<Integer> spawned = Spawner.spawn(List.of("/bin/sh", "-c", "read -r line"), so);
        Posix.close(fds[0]);
        if (!(spawned instanceof SysResult.Ok<Integer>(Integer child))) {
            Posix.close(fds[1]);
            LOG.log(System.Logger.Level.WARNING, "no wake-up helper (" + spawned + "); the tracer will poll");
            return -1;
        }
        SysResult<Void> seized = ptrace.seize(child, PtraceConstants.PTRACE_O_EXITKILL);
        if (!seized.isOk()) {
            Posix.kill(child, Signals.SIGKILL);
            reap(child);
            Posix.close(fds[1]);
            LOG.log(System.Logger.Level.WARNING, "no wake-up helper (" + seized + "); the tracer will poll");
            return -1;
        }
        pipeWriteEnd = fds[1];
        pending.set(false);
        pid = child;
        return child;
    }

    /**
     * The helper reported {@code st}: resume a stop (a wake-up), forget a helper that died.
     *
     * @return true if the helper is gone
     */
    boolean onStatus(WaitStatus st) {
        if (st.isStop()) {
            pending.set(false);
            wakeUps++;
            int signal = st instanceof WaitStatus.SignalStopped s && s.signal() != WAKE_SIGNAL ? s.signal() : 0;
            ptrace.cont(pid, signal);
            return false;
        }
        if (st.isGone()) {
            pid = -1;
            closePipe();
            return true;
        }
        return false;
    }

    /** Kills and reaps the helper. */
    void stop() {
        int h = pid;
        if (h > 0) {
            pid = -1;
            Posix.kill(h, Signals.SIGKILL);
            reap(h);
        }
        closePipe();
    }

    private void closePipe() {
        if (pipeWriteEnd >= 0) {
            Posix.close(pipeWriteEnd);
            pipeWriteEnd = -1;
        }
    }

    static void reap(int pid) {
        while (Posix.waitpid(pid, Posix.WALL).failedWith(Errno.EINTR)) {
            // retry
        }
    }
}
