package dev.debugport.linux.ptrace;

import dev.debugport.linux.libc.LibC;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/** Checked process calls around {@link LibC}: identity, signals and waiting. Errors come back as values. */
public final class Posix {
    private Posix() {
    }

    public static final int WNOHANG = 1;
    public static final int WUNTRACED = 2;
    public static final int WSTOPPED = 2;
    public static final int WEXITED = 4;
    public static final int WCONTINUED = 8;
    public static final int WNOWAIT = 0x1000000;
    /** Wait for every kind of child (clone()d threads too). */
    public static final int WALL = 0x40000000;

    public static final int P_ALL = 0;
    public static final int P_PID = 1;

    /** A thread or process whose status {@code waitpid} returned. */
    public record Waited(int pid, WaitStatus status) {
    }

    /** {@code getpid()}. */
    public static int getpid() {
        return LibC.getpid(Scratch.get().state);
    }

    /** {@code gettid()}: the calling thread's kernel id. */
    public static int gettid() {
        return LibC.gettid(Scratch.get().state);
    }

    /** {@code kill(pid, sig)}. */
    public static SysResult<Void> kill(int pid, int sig) {
        Scratch s = Scratch.get();
        if (LibC.kill(s.state, pid, sig) == 0) {
            return SysResult.ok();
        }
        return SysResult.err(Errno.of(s.errno()), "kill " + pid + " " + Signals.name(sig));
    }

    /** {@code tgkill(tgid, tid, sig)}: a signal to one thread. */
    public static SysResult<Void> tgkill(int tgid, int tid, int sig) {
        Scratch s = Scratch.get();
        if (LibC.tgkill(s.state, tgid, tid, sig) == 0) {
            return SysResult.ok();
        }
        return SysResult.err(Errno.of(s.errno()), "tgkill " + tgid + "/" + tid + " " + Signals.name(sig));
    }

    /**
     * {@code waitpid(pid, &status, options)}. Empty when {@code WNOHANG} found nothing to report. EINTR is returned as
     * an error for the caller to retry.
     */
    public static SysResult<Optional<Waited>> waitpid(int pid, int options) {
        Scratch s = Scratch.get();
        MemorySegment status = s.buffer;
        status.set(JAVA_INT, 0, 0);
        int r = LibC.waitpid(s.state, pid, status, options);
        if (r < 0) {
            return SysResult.err(Errno.of(s.errno()), "waitpid " + pid);
        }
        if (r == 0) {
            return SysResult.ok(Optional.empty());
        }
        return SysResult.ok(Optional.of(new Waited(r, WaitStatus.decode(status.get(JAVA_INT, 0)))));
    }

    /**
     * {@code waitid(idtype, id, &info, options)}. Empty when {@code WNOHANG} found nothing (si_pid 0). With
     * {@code WNOWAIT} the child stays waitable: this is how the tracer peeks at which child has something to report.
     */
    public static SysResult<Optional<SigInfo>> waitid(int idtype, int id, int options) {
        Scratch s = Scratch.get();
        MemorySegment info = s.buffer;
        info.asSlice(0, SigInfo.SIZE).fill((byte) 0);
        int r = LibC.waitid(s.state, idtype, id, info, options);
        if (r < 0) {
            return SysResult.err(Errno.of(s.errno()), "waitid " + idtype + " " + id);
        }
        SigInfo decoded = SigInfo.decode(info);
        return SysResult.ok(decoded.pid() == 0 ? Optional.empty() : Optional.of(decoded));
    }

    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 0x80000;

    /** {@code pipe2(fds, flags)}: returns {read end, write end}. */
    public static SysResult<int[]> pipe(int flags) {
        Scratch s = Scratch.get();
        if (LibC.pipe2(s.state, s.buffer, flags) != 0) {
            return SysResult.err(Errno.of(s.errno()), "pipe2");
        }
        return SysResult.ok(new int[] {s.buffer.get(JAVA_INT, 0), s.buffer.get(JAVA_INT, 4)});
    }

    /** {@code close(fd)}. */
    public static SysResult<Void> close(int fd) {
        Scratch s = Scratch.get();
        if (LibC.close(s.state, fd) != 0) {
            return SysResult.err(Errno.of(s.errno()), "close " + fd);
        }
        return SysResult.ok();
    }

    /** {@code read(fd, buf, len)} into a byte array: the count read, 0 at end of file. Blocks as read(2) does. */
    public static SysResult<Integer> read(int fd, byte[] buffer, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
        Scratch s = Scratch.get();
        int n = (int) Math.min(length, Scratch.BUFFER_SIZE);
        long r = LibC.read(s.state, fd, s.buffer, n);
        if (r < 0) {
            return SysResult.err(Errno.of(s.errno()), "read " + fd);
        }
        MemorySegment.copy(s.buffer, 0, MemorySegment.ofArray(buffer), offset, r);
        return SysResult.ok((int) r);
    }
}
