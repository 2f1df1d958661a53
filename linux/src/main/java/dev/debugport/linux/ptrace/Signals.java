package dev.debugport.linux.ptrace;

/** Signal numbers and {@code si_code} values for x86-64 Linux. */
public final class Signals {
    private Signals() {
    }

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGILL = 4;
    public static final int SIGTRAP = 5;
    public static final int SIGABRT = 6;
    public static final int SIGBUS = 7;
    public static final int SIGFPE = 8;
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGSEGV = 11;
    public static final int SIGUSR2 = 12;
    public static final int SIGPIPE = 13;
    public static final int SIGALRM = 14;
    public static final int SIGTERM = 15;
    public static final int SIGSTKFLT = 16;
    public static final int SIGCHLD = 17;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;
    public static final int SIGTSTP = 20;
    public static final int SIGTTIN = 21;
    public static final int SIGTTOU = 22;
    public static final int SIGURG = 23;
    public static final int SIGXCPU = 24;
    public static final int SIGXFSZ = 25;
    public static final int SIGVTALRM = 26;
    public static final int SIGPROF = 27;
    public static final int SIGWINCH = 28;
    public static final int SIGIO = 29;
    public static final int SIGPWR = 30;
    public static final int SIGSYS = 31;

    // si_code values shared by all signals
    public static final int SI_USER = 0;
    public static final int SI_KERNEL = 0x80;
    public static final int SI_QUEUE = -1;
    public static final int SI_TKILL = -6;

    // SIGTRAP
    public static final int TRAP_BRKPT = 1;
    public static final int TRAP_TRACE = 2;
    public static final int TRAP_BRANCH = 3;
    public static final int TRAP_HWBKPT = 4;

    // SIGSEGV
    public static final int SEGV_MAPERR = 1;
    public static final int SEGV_ACCERR = 2;

    // SIGFPE
    public static final int FPE_INTDIV = 1;
    public static final int FPE_INTOVF = 2;

    // SIGILL
    public static final int ILL_ILLOPC = 1;
    public static final int ILL_PRVOPC = 5;

    // SIGBUS
    public static final int BUS_ADRALN = 1;
    public static final int BUS_ADRERR = 2;

    // SIGCHLD (waitid)
    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;
    public static final int CLD_TRAPPED = 4;
    public static final int CLD_STOPPED = 5;
    public static final int CLD_CONTINUED = 6;

    private static final String[] NAMES = {"0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
        "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ",
        "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    /** "SIGSEGV", or "SIGRTMIN+n"/"signal n". */
    public static String name(int signal) {
        if (signal >= 0 && signal < NAMES.length) {
            return NAMES[signal];
        }
        if (signal >= 34 && signal <= 64) {
            return "SIGRTMIN+" + (signal - 34);
        }
        return "signal " + signal;
    }

    /** True for the signals whose default action stops the process (and that cause a group-stop). */
    public static boolean isStopSignal(int signal) {
        return signal == SIGSTOP || signal == SIGTSTP || signal == SIGTTIN || signal == SIGTTOU;
    }

    /** The bit of {@code signal} in a signal mask as /proc shows it (SigCgt, SigBlk...). */
    public static long maskBit(int signal) {
        return 1L << (signal - 1);
    }
}
