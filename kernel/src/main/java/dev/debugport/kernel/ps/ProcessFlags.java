package dev.debugport.kernel.ps;

/** The EPROCESS.Flags bits Dbgk reads and writes (spec dbgk.md §1.6; same values in ReactOS and Windows 10). */
public final class ProcessFlags {
    public static final int CREATE_REPORTED = 0x1;
    public static final int NO_DEBUG_INHERIT = 0x2;
    public static final int PROCESS_EXITING = 0x4;
    public static final int PROCESS_DELETE = 0x8;
    public static final int IMAGE_NOTIFY_DONE = 0x0040_0000;

    private ProcessFlags() {
    }
}
