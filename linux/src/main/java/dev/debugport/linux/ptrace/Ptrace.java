package dev.debugport.linux.ptrace;

import dev.debugport.linux.libc.LibC;
import java.lang.foreign.MemorySegment;

import static dev.debugport.linux.ptrace.PtraceConstants.*;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The checked, typed ptrace API (x86-64 Linux). Every method returns a {@link SysResult}: ESRCH (the thread is gone,
 * not stopped, or not traced by the calling thread) and the other expected failures are values.
 *
 * <p><b>Threads.</b> The kernel accepts ptrace requests for a tracee only from the very thread that attached it
 * ({@code PTRACE_SEIZE}); from any other thread, even of the same process, they fail with ESRCH. So one thread must
 * own a tracee for its whole life: {@code dev.debugport.linux.tracer.Tracer}. An instance of this class holds no
 * kernel state and may be created anywhere; it only works on the owner thread.
 *
 * <p><b>Observer.</b> The owner may install an {@link Observer} that hears of every successful resume and detach, to
 * track which tracees are stopped.
 */
public final class Ptrace {
    /** How a stopped tracee was resumed. */
    public enum Resume {
        CONT, SINGLESTEP, SYSCALL, LISTEN
    }

    /** Hears of successful resumes and detaches (called on the calling thread, after the call). */
    public interface Observer {
        void resumed(int tid, Resume how, int signal);

        void detached(int tid);
    }

    private final Observer observer;

    /** A Ptrace without an observer. */
    public Ptrace() {
        this(null);
    }

    public Ptrace(Observer observer) {
        this.observer = observer;
    }

    private static SysResult<Void> fail(Scratch s, int request, int tid) {
        return SysResult.err(Errno.of(s.errno()), requestName(request) + " " + tid);
    }

    private static SysResult<Void> simple(int request, int tid, long addr, long data) {
        Scratch s = Scratch.get();
        if (LibC.ptrace(s.state, request, tid, addr, data) == -1) {
            return fail(s, request, tid);
        }
        return SysResult.ok();
    }

    private SysResult<Void> resume(int request, Resume how, int tid, int signal) {
        SysResult<Void> r = simple(request, tid, 0, signal);
        if (r.isOk() && observer != null) {
            observer.resumed(tid, how, signal);
        }
        return r;
    }

    /** {@code PTRACE_SEIZE}: attaches {@code tid} without stopping it, with {@code options} (PTRACE_O_*). */
    public SysResult<Void> seize(int tid, long options) {
        return simple(PTRACE_SEIZE, tid, 0, options);
    }

    /** {@code PTRACE_SETOPTIONS}. */
    public SysResult<Void> setOptions(int tid, long options) {
        return simple(PTRACE_SETOPTIONS, tid, 0, options);
    }

    /**
     * {@code PTRACE_INTERRUPT}: asks a seized tracee to stop; it reports {@code PTRACE_EVENT_STOP} (SIGTRAP). If the
     * tracee is already stopped, or stops for another reason first, the interrupt stays pending and traps as soon as
     * the tracee is resumed.
     */
    public SysResult<Void> interrupt(int tid) {
        return simple(PTRACE_INTERRUPT, tid, 0, 0);
    }

    /** {@code PTRACE_CONT}, delivering {@code signal} (0 for none: suppresses the signal of a signal-delivery-stop). */
    public SysResult<Void> cont(int tid, int signal) {
        return resume(PTRACE_CONT, Resume.CONT, tid, signal);
    }

    /** {@code PTRACE_SINGLESTEP}: executes one instruction, then reports SIGTRAP (si_code TRAP_TRACE). */
    public SysResult<Void> singleStep(int tid, int signal) {
        return resume(PTRACE_SINGLESTEP, Resume.SINGLESTEP, tid, signal);
    }

    /** {@code PTRACE_SYSCALL}: runs to the next syscall entry or exit. */
    public SysResult<Void> syscall(int tid, int signal) {
        return resume(PTRACE_SYSCALL, Resume.SYSCALL, tid, signal);
    }

    /**
     * {@code PTRACE_LISTEN}: leaves a group-stopped tracee stopped but lets it report the next event (SIGCONT ends the
     * group-stop). Only valid at a group-stop under PTRACE_SEIZE.
     */
    public SysResult<Void> listen(int tid) {
        return resume(PTRACE_LISTEN, Resume.LISTEN, tid, 0);
    }

    /** {@code PTRACE_DETACH}, delivering {@code signal}. The tracee must be in a ptrace-stop. */
    public SysResult<Void> detach(int tid, int signal) {
        SysResult<Void> r = simple(PTRACE_DETACH, tid, 0, signal);
        if (r.isOk() && observer != null) {
            observer.detached(tid);
        }
        return r;
    }

    /**
     * {@code PTRACE_GETEVENTMSG}: the new tid/pid at a CLONE/FORK/VFORK stop, the former tid at an EXEC stop, the wait
     * status at an EXIT stop.
     */
    public SysResult<Long> getEventMsg(int tid) {
        Scratch s = Scratch.get();
        if (LibC.ptrace(s.state, PTRACE_GETEVENTMSG, tid, 0, s.buffer.address()) == -1) {
            return fail(s, PTRACE_GETEVENTMSG, tid).castErr();
        }
        return SysResult.ok(s.buffer.get(JAVA_LONG, 0));
    }

    /** {@code PTRACE_GETSIGINFO}: the siginfo of the signal-delivery-stop (or event stop) the tracee is in. */
    public SysResult<SigInfo> getSigInfo(int tid) {
        Scratch s = Scratch.get();
        MemorySegment b = s.buffer;
        b.asSlice(0, SigInfo.SIZE).fill((byte) 0);
        if (LibC.ptrace(s.state, PTRACE_GETSIGINFO, tid, 0, b.address()) == -1) {
            return fail(s, PTRACE_GETSIGINFO, tid).castErr();
        }
        return SysResult.ok(SigInfo.decode(b));
    }

    /** {@code PTRACE_SETSIGINFO}: replaces the siginfo of the pending signal with {@code info.raw()}. */
    public SysResult<Void> setSigInfo(int tid, SigInfo info) {
        Scratch s = Scratch.get();
        MemorySegment.copy(MemorySegment.ofArray(info.raw()), 0, s.buffer, 0, SigInfo.SIZE);
        if (LibC.ptrace(s.state, PTRACE_SETSIGINFO, tid, 0, s.buffer.address()) == -1) {
            return fail(s, PTRACE_SETSIGINFO, tid);
        }
        return SysResult.ok();
    }

    /** {@code PTRACE_GETREGS}. */
    public SysResult<UserRegs> getRegs(int tid) {
        Scratch s = Scratch.get();
        if (LibC.ptrace(s.state, PTRACE_GETREGS, tid, 0, s.buffer.address()) == -1) {
            return fail(s, PTRACE_GETREGS, tid).castErr();
        }
        return SysResult.ok(UserRegs.read(s.buffer));
    }

    /** {@code PTRACE_SETREGS}. */
    public SysResult<Void> setRegs(int tid, UserRegs regs) {
        Scratch s = Scratch.get();
        regs.write(s.buffer);
        if (LibC.ptrace(s.state, PTRACE_SETREGS, tid, 0, s.buffer.address()) == -1) {
            return fail(s, PTRACE_SETREGS, tid);
        }
        return SysResult.ok();
    }

    /** {@code PTRACE_PEEKUSER}: 8 bytes at {@code offset} in {@code struct user} (registers, debug registers). */
    public SysResult<Long> peekUser(int tid, long offset) {
        return peek(PTRACE_PEEKUSER, tid, offset);
    }

    /** {@code PTRACE_POKEUSER}. The kernel validates debug-register values (DR7 enables, lengths, alignment). */
    public SysResult<Void> pokeUser(int tid, long offset, long value) {
        return simple(PTRACE_POKEUSER, tid, offset, value);
    }

    /** DR{@code n} (0-3, 6, 7) through PEEKUSER at {@code 848 + 8n}. */
    public SysResult<Long> getDebugReg(int tid, int n) {
        return peekUser(tid, debugRegOffset(n));
    }

    /** Sets DR{@code n} (0-3, 6, 7) through POKEUSER at {@code 848 + 8n}. */
    public SysResult<Void> setDebugReg(int tid, int n, long value) {
        return pokeUser(tid, debugRegOffset(n), value);
    }

    /** {@code PTRACE_PEEKDATA}: 8 bytes of the tracee's memory (any protection). */
    public SysResult<Long> peekData(int tid, long address) {
        return peek(PTRACE_PEEKDATA, tid, address);
    }

    /** {@code PTRACE_POKEDATA}: writes 8 bytes, even into read-only (text) pages. */
    public SysResult<Void> pokeData(int tid, long address, long value) {
        return simple(PTRACE_POKEDATA, tid, address, value);
    }

    private static SysResult<Long> peek(int request, int tid, long address) {
        Scratch s = Scratch.get();
        long value = LibC.ptrace(s.state, request, tid, address, 0);
        // glibc's wrapper sets errno to 0 when a PEEK succeeds, so -1 with errno 0 is data.
        if (value == -1 && s.errno() != 0) {
            return fail(s, request, tid).castErr();
        }
        return SysResult.ok(value);
    }
}
