package dev.debugport.dbgk;

/** DEBUG_EVENT.Flags of a queued kernel debug event (spec dbgk.md §1.4). */
final class DebugEventFlags {
    /** Handed to a waiter; awaiting NtDebugContinue. */
    static final int READ = 0x01;
    /** Nobody waits on it (an attach-time fake); freed on wake. */
    static final int NOWAIT = 0x02;
    /** Not deliverable yet. */
    static final int INACTIVE = 0x04;
    /** The event holds the thread's rundown protection. */
    static final int RELEASE = 0x08;
    /** Rundown could not be acquired (the thread is exiting). */
    static final int PROTECT_FAILED = 0x10;
    /** The thread was suspended for this event; resume on wake. */
    static final int SUSPEND = 0x20;
    /** Windows 10: the ntdll LOAD_DLL sent from DbgkCreateThread, dropped with a suppressed creation message. */
    static final int SYSTEM_DLL = 0x40;

    private DebugEventFlags() {
    }
}
