package dev.debugport.kernel.ps;

/**
 * ETHREAD.CrossThreadFlags bits in the Windows 8/10/11 numbering (spec dbgk.md §1.6 and §13 #1). The XP/ReactOS
 * numbering differs; we follow Windows.
 */
public final class ThreadFlags {
    public static final int TERMINATED = 0x001;
    /** Windows 10: set once the thread is inserted (the inverse sense of XP's DeadThread). */
    public static final int THREAD_INSERTED = 0x002;
    public static final int HIDE_FROM_DEBUGGER = 0x004;
    public static final int SKIP_CREATION_MSG = 0x040;
    public static final int SKIP_TERMINATION_MSG = 0x080;

    private ThreadFlags() {
    }
}
