package dev.debugport.linux.platform;

import dev.debugport.linux.ptrace.SigInfo;
import dev.debugport.linux.ptrace.Signals;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.NtStatus;

/**
 * Signals as NT exceptions: the code, ExceptionAddress and ExceptionInformation a Linux signal-delivery-stop becomes.
 *
 * <pre>
 * signal   si_code                     NT exception                                  address     information
 * SIGTRAP  SI_KERNEL (int3)            STATUS_BREAKPOINT 0x80000003                  rip - 1     -
 *          TRAP_TRACE (trap flag)      STATUS_SINGLE_STEP 0x80000004                 rip         -
 *          TRAP_HWBKPT (DR0-3)         STATUS_SINGLE_STEP 0x80000004                 rip         -
 *          other / sent (raise, kill)  STATUS_BREAKPOINT 0x80000003                  rip         -
 * SIGSEGV  SEGV_MAPERR, SEGV_ACCERR    STATUS_ACCESS_VIOLATION 0xC0000005            rip         [0] 0 read / 1 write /
 *                                                                                                8 execute, [1] si_addr
 *          SI_KERNEL, privileged insn  STATUS_PRIVILEGED_INSTRUCTION 0xC0000096      rip         -
 *          SI_KERNEL (#GP, e.g. a      STATUS_ACCESS_VIOLATION 0xC0000005            rip         [0] read/write,
 *            non-canonical address)                                                              [1] 0xFFFFFFFFFFFFFFFF
 *          sent (kill)                 STATUS_ACCESS_VIOLATION 0xC0000005            rip         [0] 0, [1] 0
 * SIGBUS   BUS_ADRALN                  STATUS_DATATYPE_MISALIGNMENT 0x80000002       rip         -
 *          BUS_ADRERR, BUS_OBJERR      STATUS_IN_PAGE_ERROR 0xC0000006               rip         [0] r/w, [1] si_addr,
 *                                                                                                [2] 0xC0000011 EOF
 *          BUS_MCEERR_*                STATUS_IN_PAGE_ERROR 0xC0000006               rip         ..., [2] 0xC000009C
 * SIGILL   ILL_PRVOPC, ILL_PRVREG      STATUS_PRIVILEGED_INSTRUCTION 0xC0000096      si_addr     -
 *          other                       STATUS_ILLEGAL_INSTRUCTION 0xC000001D         si_addr     -
 * SIGFPE   FPE_INTDIV                  STATUS_INTEGER_DIVIDE_BY_ZERO 0xC0000094      si_addr     -
 *          FPE_INTOVF                  STATUS_INTEGER_OVERFLOW 0xC0000095            si_addr     -
 *          FPE_FLTDIV                  STATUS_FLOAT_DIVIDE_BY_ZERO 0xC000008E        si_addr     -
 *          FPE_FLTOVF                  STATUS_FLOAT_OVERFLOW 0xC0000091              si_addr     -
 *          FPE_FLTUND                  STATUS_FLOAT_UNDERFLOW 0xC0000093             si_addr     -
 *          FPE_FLTRES                  STATUS_FLOAT_INEXACT_RESULT 0xC000008F        si_addr     -
 *          FPE_FLTINV, other           STATUS_FLOAT_INVALID_OPERATION 0xC0000090     si_addr     -
 *          FPE_FLTSUB                  STATUS_ARRAY_BOUNDS_EXCEEDED 0xC000008C       si_addr     -
 * SIGABRT  any                         STATUS_FATAL_APP_EXIT 0x40000015              rip         -
 * SIGINT   any                         DBG_CONTROL_C 0x40010005 (Ctrl-C)             rip         -
 * SIGSYS   any                         STATUS_INVALID_SYSTEM_SERVICE 0xC000001C      rip         -
 * SIGCHLD, SIGCONT, SIGURG, SIGWINCH, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU: not exceptions (delivered silently)
 * any other signal N                   0xE0000000 + N ("Linux signal N")             rip         [0] N, [1] si_code,
 *                                                                                                [2] si_pid
 * </pre>
 *
 * A signal's second chance comes when delivering it would end the process: no handler, its default action
 * terminates, and for a synchronous fault (si_code &gt; 0 of SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP) also when it is
 * blocked or ignored (the kernel then forces the default action).
 */
final class SignalMapping {
    /** The first code of the "Linux signal N" exceptions: 0xE0000000 + N (customer bit set, error severity). */
    static final int LINUX_SIGNAL_BASE = 0xE0000000;
    static final int STATUS_INVALID_SYSTEM_SERVICE = 0xC000001C;
    private static final int STATUS_END_OF_FILE = 0xC0000011;
    private static final int STATUS_DEVICE_DATA_ERROR = 0xC000009C;
    private static final int TRAP_BRKPT_SI_KERNEL = Signals.SI_KERNEL;
    private static final int BUS_MCEERR_AR = 4;
    private static final int BUS_MCEERR_AO = 5;
    private static final int ILL_PRVREG = 6;
    private static final int FPE_FLTDIV = 3;
    private static final int FPE_FLTOVF = 4;
    private static final int FPE_FLTUND = 5;
    private static final int FPE_FLTRES = 6;
    private static final int FPE_FLTINV = 7;
    private static final int FPE_FLTSUB = 8;

    private SignalMapping() {
    }

    /** What the platform needs to know about the faulting context to build a record. */
    interface Context {
        long rip();

        long rsp();

        long rdi();

        /** Up to 15 bytes at rip. */
        byte[] code();

        /** The mapping containing {@code address}, or null. */
        ProcMaps.Mapping mappingAt(long address);
    }

    /** The signals that never become exceptions (their default action is to ignore, stop or continue). */
    static boolean isSilent(int signal) {
        return signal == Signals.SIGCHLD || signal == Signals.SIGCONT || signal == Signals.SIGURG
                || signal == Signals.SIGWINCH || Signals.isStopSignal(signal) || signal == Signals.SIGKILL;
    }

    /** Whether the default action of {@code signal} ends the process. */
    static boolean defaultTerminates(int signal) {
        return !isSilent(signal) || signal == Signals.SIGKILL;
    }

    /** A synchronous fault the kernel forces (delivered even when blocked or ignored, as the default action). */
    static boolean isSynchronousFault(int signal, SigInfo info) {
        return info.code() > 0 && (signal == Signals.SIGSEGV || signal == Signals.SIGBUS || signal == Signals.SIGILL
                || signal == Signals.SIGFPE || signal == Signals.SIGTRAP);
    }

    /** Whether a SIGTRAP is a hardware single step (the trap flag) or a debug-register hit. */
    static boolean isSingleStepTrap(SigInfo info) {
        return info.code() == Signals.TRAP_TRACE || info.code() == Signals.TRAP_HWBKPT;
    }

    /** Builds the exception record for a (non-silent) signal. */
    static ExceptionRecord record(int signal, SigInfo info, Context ctx) {
        long rip = ctx.rip();
        int code = info.code();
        return switch (signal) {
            case Signals.SIGTRAP -> {
                if (code == TRAP_BRKPT_SI_KERNEL) {
                    yield ExceptionRecord.of(NtStatus.STATUS_BREAKPOINT.value(), rip - 1);
                }
                if (isSingleStepTrap(info)) {
                    yield ExceptionRecord.of(NtStatus.STATUS_SINGLE_STEP.value(), rip);
                }
                yield ExceptionRecord.of(NtStatus.STATUS_BREAKPOINT.value(), rip);
            }
            case Signals.SIGSEGV -> segv(info, ctx);
            case Signals.SIGBUS -> {
                if (code == Signals.BUS_ADRALN) {
                    yield ExceptionRecord.of(NtStatus.STATUS_DATATYPE_MISALIGNMENT.value(), rip);
                }
                int cause = code == BUS_MCEERR_AR || code == BUS_MCEERR_AO ? STATUS_DEVICE_DATA_ERROR : STATUS_END_OF_FILE;
                yield ExceptionRecord.of(NtStatus.STATUS_IN_PAGE_ERROR.value(), rip, kind(info.addr(), ctx, false), info.addr(),
                        Integer.toUnsignedLong(cause));
            }
            case Signals.SIGILL -> ExceptionRecord.of(code == Signals.ILL_PRVOPC || code == ILL_PRVREG
                    ? NtStatus.STATUS_PRIVILEGED_INSTRUCTION.value() : NtStatus.STATUS_ILLEGAL_INSTRUCTION.value(),
                    faultAddress(info, rip));
            case Signals.SIGFPE -> ExceptionRecord.of(switch (code) {
                case Signals.FPE_INTDIV -> NtStatus.STATUS_INTEGER_DIVIDE_BY_ZERO.value();
                case Signals.FPE_INTOVF -> NtStatus.STATUS_INTEGER_OVERFLOW.value();
                case FPE_FLTDIV -> NtStatus.STATUS_FLOAT_DIVIDE_BY_ZERO.value();
                case FPE_FLTOVF -> NtStatus.STATUS_FLOAT_OVERFLOW.value();
                case FPE_FLTUND -> NtStatus.STATUS_FLOAT_UNDERFLOW.value();
                case FPE_FLTRES -> NtStatus.STATUS_FLOAT_INEXACT_RESULT.value();
                case FPE_FLTSUB -> NtStatus.STATUS_ARRAY_BOUNDS_EXCEEDED.value();
                case FPE_FLTINV -> NtStatus.STATUS_FLOAT_INVALID_OPERATION.value();
                default -> NtStatus.STATUS_FLOAT_INVALID_OPERATION.value();
            }, faultAddress(info, rip));
            case Signals.SIGABRT -> ExceptionRecord.of(NtStatus.STATUS_FATAL_APP_EXIT.value(), rip);
            case Signals.SIGINT -> ExceptionRecord.of(NtStatus.DBG_CONTROL_C.value(), rip);
            case Signals.SIGSYS -> ExceptionRecord.of(STATUS_INVALID_SYSTEM_SERVICE, rip);
            default -> ExceptionRecord.of(LINUX_SIGNAL_BASE + signal, rip, signal, Integer.toUnsignedLong(code),
                    Integer.toUnsignedLong(info.pid()));
        };
    }

    private static long faultAddress(SigInfo info, long rip) {
        return info.isFault() && info.addr() != 0 ? info.addr() : rip;
    }

    private static ExceptionRecord segv(SigInfo info, Context ctx) {
        long rip = ctx.rip();
        int av = NtStatus.STATUS_ACCESS_VIOLATION.value();
        if (info.code() <= 0) {
            return ExceptionRecord.of(av, rip, AccessDecoder.READ, 0);
        }
        if (info.code() == Signals.SI_KERNEL) {
            if (isPrivileged(ctx.code())) {
                return ExceptionRecord.of(NtStatus.STATUS_PRIVILEGED_INSTRUCTION.value(), rip);
            }
            return ExceptionRecord.of(av, rip, AccessDecoder.decode(ctx.code(), -1, ctx.rsp(), ctx.rdi()), -1L);
        }
        return ExceptionRecord.of(av, rip, kind(info.addr(), ctx, info.code() == Signals.SEGV_ACCERR), info.addr());
    }

    /**
     * 0 read, 1 write, 8 execute: from the mapping's protection where it settles it (a protection fault on a readable,
     * unwritable page was a store), else from the instruction.
     */
    static long kind(long fault, Context ctx, boolean protectionFault) {
        if (fault == ctx.rip()) {
            return AccessDecoder.EXECUTE;
        }
        ProcMaps.Mapping m = protectionFault ? ctx.mappingAt(fault) : null;
        if (m != null && m.readable() && !m.writable()) {
            return AccessDecoder.WRITE;
        }
        return AccessDecoder.decode(ctx.code(), fault, ctx.rsp(), ctx.rdi());
    }

    /** HLT, CLI, STI, IN, OUT, and the system 0F opcodes that fault with #GP in user mode. */
    private static boolean isPrivileged(byte[] code) {
        int i = 0;
        while (i < code.length && ((code[i] & 0xF0) == 0x40 || code[i] == 0x66 || code[i] == (byte) 0xF3)) {
            i++;
        }
        if (i >= code.length) {
            return false;
        }
        int b = code[i] & 0xFF;
        if (b == 0xF4 || b == 0xFA || b == 0xFB || (b >= 0xE4 && b <= 0xE7) || (b >= 0xEC && b <= 0xEF)
                || b == 0x6C || b == 0x6D || b == 0x6E || b == 0x6F) {
            return true;
        }
        if (b == 0x0F && i + 1 < code.length) {
            int op = code[i + 1] & 0xFF;
            return op == 0x06 || op == 0x08 || op == 0x09 || op == 0x30 || op == 0x32
                    || (op >= 0x20 && op <= 0x23) || op == 0x01 && i + 2 < code.length && (code[i + 2] & 0xFF) >= 0xC0
                    && (code[i + 2] & 0xFF) != 0xD0 && (code[i + 2] & 0xFF) != 0xF9;
        }
        return false;
    }
}
