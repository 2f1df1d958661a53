package dev.debugport.linux.platform;

import dev.debugport.linux.ptrace.Errno;
import dev.debugport.linux.ptrace.Ptrace;
import dev.debugport.linux.ptrace.SysResult;
import dev.debugport.linux.ptrace.UserRegs;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import dev.debugport.nt.NtStatus;

/**
 * A debuggee thread's registers as the platform keeps them: read once per ptrace-stop, turned into and out of an AMD64
 * CONTEXT for GetThreadContext and SetThreadContext (NtGetContextThread, NtSetContextThread), and the debug registers
 * DR0-3, DR6 and DR7, whose values before the debugger changed them are kept to be put back at a detach.
 */
final class ThreadRegisters {
    /** CONTEXT_CONTROL, CONTEXT_INTEGER and CONTEXT_DEBUG_REGISTERS without the AMD64 bit: the parts applied. */
    private static final int CONTEXT_CONTROL = 0x1;
    private static final int CONTEXT_INTEGER = 0x2;
    private static final int CONTEXT_DEBUG = 0x10;

    private final Ptrace pt;

    ThreadRegisters(Ptrace pt) {
        this.pt = pt;
    }

    /** The registers of a stopped thread (read once per stop; a SetThreadContext waiting to be written included). */
    UserRegs regsOf(LinuxThread t) {
        UserRegs r = t.regs;
        if (r == null && t.stopped && !t.gone) {
            r = pt.getRegs(t.tid).orElse(null);
            noteRegs(t, r);
        }
        return r;
    }

    /** Records registers just read from, or written to, the kernel at this stop. */
    static void noteRegs(LinuxThread t, UserRegs r) {
        t.written = r;
        t.regs = r;
    }

    /** Writes registers a SetThreadContext left in the snapshot ({@link #setContextAtStop}) before the thread runs. */
    void flushRegs(LinuxThread t, UserRegs r) {
        if (r != null && r != t.written) {
            pt.setRegs(t.tid, r);
        }
        t.written = null;
    }

    /**
     * The debug registers DR0-3, DR6 and DR7 of a stopped thread (index 0-3, 6, 7), read with six PEEKUSER the first
     * time they are needed after an attach (on the tracer thread): most attached threads never have them asked for.
     */
    long[] debugRegisters(LinuxThread t) {
        if (!t.debugRegistersRead) {
            for (int n : new int[] {0, 1, 2, 3, 6, 7}) {
                t.dr[n] = pt.getDebugReg(t.tid, n).orElse(0L);
            }
            t.debugRegistersRead = true;
        }
        return t.dr;
    }

    void restoreDebugRegisters(LinuxThread t) {
        if (t.originalDr == null) {
            return;
        }
        pt.setDebugReg(t.tid, 7, 0);
        for (int n : new int[] {0, 1, 2, 3, 6}) {
            pt.setDebugReg(t.tid, n, t.originalDr[n]);
        }
        pt.setDebugReg(t.tid, 7, t.originalDr[7]);
        t.originalDr = null;
    }

    static Amd64Context toContext(UserRegs r, long[] dr) {
        return Amd64Context.zero().withContextFlags(Amd64Context.CONTEXT_ALL)
                .with(Amd64Register.RAX, r.rax()).with(Amd64Register.RCX, r.rcx()).with(Amd64Register.RDX, r.rdx())
                .with(Amd64Register.RBX, r.rbx()).with(Amd64Register.RSP, r.rsp()).with(Amd64Register.RBP, r.rbp())
                .with(Amd64Register.RSI, r.rsi()).with(Amd64Register.RDI, r.rdi()).with(Amd64Register.R8, r.r8())
                .with(Amd64Register.R9, r.r9()).with(Amd64Register.R10, r.r10()).with(Amd64Register.R11, r.r11())
                .with(Amd64Register.R12, r.r12()).with(Amd64Register.R13, r.r13()).with(Amd64Register.R14, r.r14())
                .with(Amd64Register.R15, r.r15()).with(Amd64Register.RIP, r.rip()).with(Amd64Register.EFLAGS, r.eflags())
                .with(Amd64Register.CS, r.cs()).with(Amd64Register.SS, r.ss()).with(Amd64Register.DS, r.ds())
                .with(Amd64Register.ES, r.es()).with(Amd64Register.FS, r.fs()).with(Amd64Register.GS, r.gs())
                .with(Amd64Register.DR0, dr[0]).with(Amd64Register.DR1, dr[1]).with(Amd64Register.DR2, dr[2])
                .with(Amd64Register.DR3, dr[3]).with(Amd64Register.DR6, dr[6]).with(Amd64Register.DR7, dr[7]);
    }

    /**
     * SetThreadContext without a hand-off to the tracer, for a debugger at an event (a software breakpoint hit: rip
     * back one byte and the trap flag set): the thread is stopped with its registers read, the context changes general
     * registers and at most the trap flag of EFLAGS (the kernel filters the other flags: the tracer lets it), and the
     * debug registers stay as they are. The new registers replace the snapshot, which GetThreadContext returns, and
     * the tracer writes them right before the thread runs again (or is detached). False when this does not apply
     * or the thread resumed meanwhile: the tracer then does it all.
     */
    static boolean setContextAtStop(LinuxThread t, Amd64Context c) {
        UserRegs cur = t.regs;
        if (cur == null || ((c.contextFlags() & CONTEXT_DEBUG) != 0 && (!t.debugRegistersRead || !sameDebugRegisters(c, t.dr)))) {
            return false;
        }
        UserRegs next = withContext(cur, c);
        if (((next.eflags() ^ cur.eflags()) & ~UserRegs.EFLAGS_TF) != 0) {
            return false;
        }
        return next.equals(cur) || t.replaceRegs(cur, next);
    }

    private static boolean sameDebugRegisters(Amd64Context c, long[] dr) {
        return c.get(Amd64Register.DR0) == dr[0] && c.get(Amd64Register.DR1) == dr[1] && c.get(Amd64Register.DR2) == dr[2]
                && c.get(Amd64Register.DR3) == dr[3] && c.get(Amd64Register.DR6) == dr[6] && c.get(Amd64Register.DR7) == dr[7];
    }

    NtStatus applyContext(LinuxThread t, Amd64Context c) {
        if (t.gone) {
            return NtStatus.STATUS_THREAD_IS_TERMINATING;
        }
        UserRegs cur = regsOf(t);
        if (cur == null) {
            return NtStatus.STATUS_THREAD_IS_TERMINATING;
        }
        UserRegs next = withContext(cur, c);
        if (!next.equals(cur)) {
            SysResult<Void> r = pt.setRegs(t.tid, next);
            if (!r.isOk()) {
                return r.failedWith(Errno.ESRCH) ? NtStatus.STATUS_THREAD_IS_TERMINATING : NtStatus.STATUS_INVALID_PARAMETER;
            }
            noteRegs(t, pt.getRegs(t.tid).orElse(next));
        }
        if ((c.contextFlags() & CONTEXT_DEBUG) != 0) {
            return writeDebugRegisters(t, new long[] {c.get(Amd64Register.DR0), c.get(Amd64Register.DR1),
                c.get(Amd64Register.DR2), c.get(Amd64Register.DR3), 0, 0, c.get(Amd64Register.DR6), c.get(Amd64Register.DR7)});
        }
        return NtStatus.STATUS_SUCCESS;
    }

    /** {@code regs} with the control (rip, rsp, EFLAGS) and integer registers of {@code c}, as its ContextFlags say. */
    private static UserRegs withContext(UserRegs regs, Amd64Context c) {
        int flags = c.contextFlags();
        UserRegs next = regs;
        if ((flags & CONTEXT_CONTROL) != 0) {
            next = next.with(UserRegs.Reg.RIP, c.rip()).with(UserRegs.Reg.RSP, c.rsp())
                    .with(UserRegs.Reg.EFLAGS, c.eflags());
        }
        if ((flags & CONTEXT_INTEGER) != 0) {
            next = next.with(UserRegs.Reg.RAX, c.get(Amd64Register.RAX)).with(UserRegs.Reg.RCX, c.get(Amd64Register.RCX))
                    .with(UserRegs.Reg.RDX, c.get(Amd64Register.RDX)).with(UserRegs.Reg.RBX, c.get(Amd64Register.RBX))
                    .with(UserRegs.Reg.RBP, c.get(Amd64Register.RBP)).with(UserRegs.Reg.RSI, c.get(Amd64Register.RSI))
                    .with(UserRegs.Reg.RDI, c.get(Amd64Register.RDI)).with(UserRegs.Reg.R8, c.get(Amd64Register.R8))
                    .with(UserRegs.Reg.R9, c.get(Amd64Register.R9)).with(UserRegs.Reg.R10, c.get(Amd64Register.R10))
                    .with(UserRegs.Reg.R11, c.get(Amd64Register.R11)).with(UserRegs.Reg.R12, c.get(Amd64Register.R12))
                    .with(UserRegs.Reg.R13, c.get(Amd64Register.R13)).with(UserRegs.Reg.R14, c.get(Amd64Register.R14))
                    .with(UserRegs.Reg.R15, c.get(Amd64Register.R15));
        }
        return next;
    }

    private NtStatus writeDebugRegisters(LinuxThread t, long[] want) {
        debugRegisters(t);
        boolean changed = false;
        for (int n : new int[] {0, 1, 2, 3, 6, 7}) {
            changed |= want[n] != t.dr[n];
        }
        if (!changed) {
            return NtStatus.STATUS_SUCCESS;
        }
        if (t.originalDr == null) {
            t.originalDr = t.dr.clone();
        }
        if (t.dr[7] != 0 && pt.setDebugReg(t.tid, 7, 0).isOk()) {
            t.dr[7] = 0;
        }
        for (int n : new int[] {0, 1, 2, 3, 6}) {
            if (want[n] != t.dr[n]) {
                if (!pt.setDebugReg(t.tid, n, want[n]).isOk()) {
                    return NtStatus.STATUS_INVALID_PARAMETER;
                }
                t.dr[n] = want[n];
            }
        }
        if (want[7] != 0) {
            if (!pt.setDebugReg(t.tid, 7, want[7]).isOk()) {
                return NtStatus.STATUS_INVALID_PARAMETER;
            }
            t.dr[7] = want[7];
        }
        return NtStatus.STATUS_SUCCESS;
    }
}
