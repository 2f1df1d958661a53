package dev.debugport.nt;

/**
 * The information-class numbers debugport uses: {@code PROCESSINFOCLASS} (NtQueryInformationProcess /
 * NtSetInformationProcess), {@code THREADINFOCLASS} (NtQueryInformationThread / NtSetInformationThread)
 * and {@code DEBUGOBJECTINFOCLASS} (NtSetInformationDebugObject). The constants keep their NT names.
 */
public final class InformationClass {

    private InformationClass() {
    }

    /** PROCESSINFOCLASS ProcessBasicInformation. */
    public static final int ProcessBasicInformation = 0;
    /** PROCESSINFOCLASS ProcessDebugPort: -1 when the process has a debug port, else 0. */
    public static final int ProcessDebugPort = 7;
    /** PROCESSINFOCLASS ProcessDebugObjectHandle (0x1E): a new handle to the process's debug object. */
    public static final int ProcessDebugObjectHandle = 30;
    /** PROCESSINFOCLASS ProcessDebugFlags (0x1F): 1 when NO_DEBUG_INHERIT is clear. */
    public static final int ProcessDebugFlags = 31;

    /** THREADINFOCLASS ThreadBasicInformation. */
    public static final int ThreadBasicInformation = 0;
    /** THREADINFOCLASS ThreadHideFromDebugger (0x11). */
    public static final int ThreadHideFromDebugger = 17;

    /** DEBUGOBJECTINFOCLASS DebugObjectUnusedInformation (not settable). */
    public static final int DebugObjectUnusedInformation = 0;
    /** DEBUGOBJECTINFOCLASS DebugObjectKillProcessOnExitInformation (a.k.a. DebugObjectFlags); one ULONG. */
    public static final int DebugObjectKillProcessOnExitInformation = 1;
}
