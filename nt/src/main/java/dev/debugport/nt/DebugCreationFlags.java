package dev.debugport.nt;

/**
 * Process-creation flags that concern debugging: the Win32 {@code CreateProcess} dwCreationFlags bits
 * DEBUG_PROCESS, DEBUG_ONLY_THIS_PROCESS, CREATE_SUSPENDED, and the native
 * {@code PROCESS_CREATE_FLAGS_NO_DEBUG_INHERIT} flag of NtCreateProcessEx / NtCreateUserProcess.
 */
public final class DebugCreationFlags {

    private DebugCreationFlags() {
    }

    /** DEBUG_PROCESS: debug the new process and, by inheritance, its children. */
    public static final int DEBUG_PROCESS = 0x00000001;
    /** DEBUG_ONLY_THIS_PROCESS: debug the new process but not its children. */
    public static final int DEBUG_ONLY_THIS_PROCESS = 0x00000002;
    /** CREATE_SUSPENDED: the first thread starts suspended. */
    public static final int CREATE_SUSPENDED = 0x00000004;
    /** PROCESS_CREATE_FLAGS_NO_DEBUG_INHERIT (native): children do not inherit the debug port. */
    public static final int PROCESS_CREATE_FLAGS_NO_DEBUG_INHERIT = 0x00000002;
}
