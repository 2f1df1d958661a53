package dev.debugport.nt;

/**
 * The Flags argument of {@code NtCreateDebugObject} and the value of
 * {@code DebugObjectKillProcessOnExitInformation} ({@code spec/dbgk.md} §1.4).
 */
public final class DebugObjectFlags {

    private DebugObjectFlags() {
    }

    /** DEBUG_KILL_ON_CLOSE (ReactOS DBGK_KILL_PROCESS_ON_EXIT): kill the debuggees when the last handle closes. */
    public static final int DEBUG_KILL_ON_CLOSE = 0x1;
    /** Every bit NtCreateDebugObject accepts; any other bit is STATUS_INVALID_PARAMETER. */
    public static final int VALID_FLAGS = DEBUG_KILL_ON_CLOSE;
}
