package dev.debugport.linux.ptrace;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A decoded {@code siginfo_t} (x86-64, 128 bytes), as {@code PTRACE_GETSIGINFO} and {@code waitid} return it.
 *
 * <pre>
 * offset  size  field
 *      0     4  si_signo
 *      4     4  si_errno
 *      8     4  si_code
 *     12     4  (padding: the union is 8-aligned)
 *     16   112  union:
 *                 faults (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP):  void *si_addr   @16
 *                 kill / tkill / sigqueue:  pid_t si_pid @16, uid_t si_uid @20
 *                 SIGCHLD:                  pid_t si_pid @16, uid_t si_uid @20, int si_status @24
 * </pre>
 *
 * Under ptrace, a {@code PTRACE_EVENT_*} stop's siginfo has {@code si_code = (event << 8) | SIGTRAP}.
 *
 * @param signo  si_signo
 * @param errno  si_errno
 * @param code   si_code ({@link Signals#SI_KERNEL}, {@link Signals#TRAP_TRACE}, {@link Signals#SEGV_MAPERR}, ...)
 * @param addr   the first 8 bytes of the union read as si_addr (meaningful for fault signals)
 * @param pid    si_pid (meaningful for signals sent by kill/tkill and for SIGCHLD)
 * @param uid    si_uid
 * @param status si_status (SIGCHLD / waitid: the exit code or signal)
 * @param raw    the 128 bytes as read (for PTRACE_SETSIGINFO and fields not decoded here)
 */
public record SigInfo(int signo, int errno, int code, long addr, int pid, int uid, int status, byte[] raw) {
    public static final long SIZE = 128;
    public static final long OFFSET_SIGNO = 0;
    public static final long OFFSET_ERRNO = 4;
    public static final long OFFSET_CODE = 8;
    public static final long OFFSET_ADDR = 16;
    public static final long OFFSET_PID = 16;
    public static final long OFFSET_UID = 20;
    public static final long OFFSET_STATUS = 24;

    public SigInfo {
        raw = raw == null ? new byte[(int) SIZE] : raw.clone();
    }

    /** Decodes the first 128 bytes of {@code segment}. */
    public static SigInfo decode(MemorySegment segment) {
        return new SigInfo(
                segment.get(JAVA_INT, OFFSET_SIGNO),
                segment.get(JAVA_INT, OFFSET_ERRNO),
                segment.get(JAVA_INT, OFFSET_CODE),
                segment.get(JAVA_LONG, OFFSET_ADDR),
                segment.get(JAVA_INT, OFFSET_PID),
                segment.get(JAVA_INT, OFFSET_UID),
                segment.get(JAVA_INT, OFFSET_STATUS),
                segment.asSlice(0, SIZE).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    /** The raw bytes (a copy). */
    @Override
    public byte[] raw() {
        return raw.clone();
    }

    /** True when the kernel raised the signal for a fault or a trap (si_code > 0 and not SI_KERNEL). */
    public boolean isFault() {
        return code > 0 && code != Signals.SI_KERNEL;
    }

    /** True when another process or thread sent it (kill, tkill, sigqueue: si_code &lt;= 0). */
    public boolean isSentByUser() {
        return code <= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigInfo s && Arrays.equals(raw, s.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "SigInfo[" + Signals.name(signo) + " code=" + code + " errno=" + errno
                + " addr=0x" + Long.toHexString(addr) + " pid=" + pid + " status=" + status + "]";
    }
}
