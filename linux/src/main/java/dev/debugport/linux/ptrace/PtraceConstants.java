package dev.debugport.linux.ptrace;

/**
 * ptrace request numbers, options and event numbers for x86-64 Linux (checked against glibc's
 * {@code <sys/ptrace.h>} on the build machine).
 */
public final class PtraceConstants {
    private PtraceConstants() {
    }

    // requests
    public static final int PTRACE_PEEKTEXT = 1;
    public static final int PTRACE_PEEKDATA = 2;
    public static final int PTRACE_PEEKUSER = 3;
    public static final int PTRACE_POKETEXT = 4;
    public static final int PTRACE_POKEDATA = 5;
    public static final int PTRACE_POKEUSER = 6;
    public static final int PTRACE_CONT = 7;
    public static final int PTRACE_SINGLESTEP = 9;
    public static final int PTRACE_GETREGS = 12;
    public static final int PTRACE_SETREGS = 13;
    public static final int PTRACE_DETACH = 17;
    public static final int PTRACE_SYSCALL = 24;
    public static final int PTRACE_SETOPTIONS = 0x4200;
    public static final int PTRACE_GETEVENTMSG = 0x4201;
    public static final int PTRACE_GETSIGINFO = 0x4202;
    public static final int PTRACE_SETSIGINFO = 0x4203;
    public static final int PTRACE_SEIZE = 0x4206;
    public static final int PTRACE_INTERRUPT = 0x4207;
    public static final int PTRACE_LISTEN = 0x4208;

    // options (PTRACE_SEIZE data / PTRACE_SETOPTIONS)
    public static final long PTRACE_O_TRACESYSGOOD = 0x1;
    public static final long PTRACE_O_TRACEFORK = 0x2;
    public static final long PTRACE_O_TRACEVFORK = 0x4;
    public static final long PTRACE_O_TRACECLONE = 0x8;
    public static final long PTRACE_O_TRACEEXEC = 0x10;
    public static final long PTRACE_O_TRACEVFORKDONE = 0x20;
    public static final long PTRACE_O_TRACEEXIT = 0x40;
    public static final long PTRACE_O_TRACESECCOMP = 0x80;
    public static final long PTRACE_O_EXITKILL = 0x100000;

    /** What debugport sets by default: follow exec, threads, fork and vfork, stop at exit, kill on tracer exit. */
    public static final long DEFAULT_OPTIONS = PTRACE_O_TRACEEXEC | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK
            | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL;

    // events (wait status >> 16)
    public static final int PTRACE_EVENT_FORK = 1;
    public static final int PTRACE_EVENT_VFORK = 2;
    public static final int PTRACE_EVENT_CLONE = 3;
    public static final int PTRACE_EVENT_EXEC = 4;
    public static final int PTRACE_EVENT_VFORK_DONE = 5;
    public static final int PTRACE_EVENT_EXIT = 6;
    public static final int PTRACE_EVENT_SECCOMP = 7;
    public static final int PTRACE_EVENT_STOP = 0x80;

    /** {@code offsetof(struct user, u_debugreg)}: DRn is at {@code DEBUGREG_OFFSET + 8 * n} for PEEKUSER/POKEUSER. */
    public static final long DEBUGREG_OFFSET = 848;

    /** The PEEKUSER/POKEUSER offset of debug register {@code n} (0-3, 6, 7). */
    public static long debugRegOffset(int n) {
        if (n < 0 || n > 7) {
            throw new IllegalArgumentException("DR" + n);
        }
        return DEBUGREG_OFFSET + 8L * n;
    }

    /** A readable name for a request number. */
    public static String requestName(int request) {
        return switch (request) {
            case PTRACE_PEEKTEXT -> "PTRACE_PEEKTEXT";
            case PTRACE_PEEKDATA -> "PTRACE_PEEKDATA";
            case PTRACE_PEEKUSER -> "PTRACE_PEEKUSER";
            case PTRACE_POKETEXT -> "PTRACE_POKETEXT";
            case PTRACE_POKEDATA -> "PTRACE_POKEDATA";
            case PTRACE_POKEUSER -> "PTRACE_POKEUSER";
            case PTRACE_CONT -> "PTRACE_CONT";
            case PTRACE_SINGLESTEP -> "PTRACE_SINGLESTEP";
            case PTRACE_GETREGS -> "PTRACE_GETREGS";
            case PTRACE_SETREGS -> "PTRACE_SETREGS";
            case PTRACE_DETACH -> "PTRACE_DETACH";
            case PTRACE_SYSCALL -> "PTRACE_SYSCALL";
            case PTRACE_SETOPTIONS -> "PTRACE_SETOPTIONS";
            case PTRACE_GETEVENTMSG -> "PTRACE_GETEVENTMSG";
            case PTRACE_GETSIGINFO -> "PTRACE_GETSIGINFO";
            case PTRACE_SETSIGINFO -> "PTRACE_SETSIGINFO";
            case PTRACE_SEIZE -> "PTRACE_SEIZE";
            case PTRACE_INTERRUPT -> "PTRACE_INTERRUPT";
            case PTRACE_LISTEN -> "PTRACE_LISTEN";
            default -> "ptrace request " + request;
        };
    }

    /** A readable name for an event number. */
    public static String eventName(int event) {
        return switch (event) {
            case PTRACE_EVENT_FORK -> "FORK";
            case PTRACE_EVENT_VFORK -> "VFORK";
            case PTRACE_EVENT_CLONE -> "CLONE";
            case PTRACE_EVENT_EXEC -> "EXEC";
            case PTRACE_EVENT_VFORK_DONE -> "VFORK_DONE";
            case PTRACE_EVENT_EXIT -> "EXIT";
            case PTRACE_EVENT_SECCOMP -> "SECCOMP";
            case PTRACE_EVENT_STOP -> "STOP";
            default -> "event " + event;
        };
    }
}
