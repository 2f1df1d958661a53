package dev.debugport.kernel;

import dev.debugport.kernel.io.FileObject;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.NtStatus;
import java.util.concurrent.Executor;

/**
 * What a platform supplies to the NT machine: execution. The kernel keeps every NT-visible state (objects, handles,
 * suspend and freeze counts, flags); a platform maps processes and threads onto something that runs (simulated
 * guest code, or real Linux processes) and enforces the run state the kernel decides.
 */
public interface Platform {
    /** A short name for diagnostics ("sim", "linux"). */
    String name();

    /** The fixed traits (WoW64, protection) of a process that runs {@code program}. */
    default dev.debugport.kernel.ps.ProcessTraits traitsOf(Object program) {
        return dev.debugport.kernel.ps.ProcessTraits.NATIVE;
    }

    /**
     * Builds a new process's address space: maps the main image and the system DLLs, creates the PEB (and PEB32 for
     * WoW64), fills the loader list, and sets {@link EProcess#setMemory}, {@link EProcess#setPebAddresses} and
     * {@link EProcess#setSystemDlls}. Called before the process has threads or a debug port.
     *
     * @param program the platform's description of what the process runs
     */
    NtStatus initializeProcess(EProcess process, Object program);

    /** Reserves a TEB for a new thread of {@code process} and returns its address. */
    long allocateTeb(EProcess process);

    /**
     * Starts executing a thread the kernel created. The platform must call
     * {@link dev.debugport.kernel.ps.ProcessManager#threadStartup} on it before any of its user code runs, and
     * {@link dev.debugport.kernel.ps.ProcessManager#exitThread} when it ends.
     *
     * @param entry the platform's description of the code to run (null: run from the thread's start address)
     */
    NtStatus startThread(EThread thread, Object entry);

    /**
     * The kernel changed whether {@code thread} may run (its suspend count, its process's freeze count, or a
     * termination request). The platform makes execution follow.
     */
    void runStateChanged(EThread thread);

    /** NtGetContextThread's platform half: the thread's registers as an AMD64 CONTEXT. */
    Amd64Context getContext(EThread thread);

    /** NtSetContextThread's platform half. */
    NtStatus setContext(EThread thread, Amd64Context context);

    /** Opens an image file for a CREATE_PROCESS / LOAD_DLL hFile (DbgkpSectionToFileHandle's open). */
    NtResult<FileObject> openImageFile(String path);

    /**
     * Where the steps that follow a debugger's continue run for {@code thread}: the kernel and Dbgk chain their
     * completions on this executor, so that the work a debuggee thread does after its event was continued (thaw,
     * re-queue, exit) runs on that thread's own side: the simulated guest thread itself, or the Linux tracer thread.
     */
    Executor continuationExecutor(EThread thread);

    /**
     * The address of an ntdll routine in {@code process} (for example DbgUiRemoteBreakin, which
     * DbgUiIssueRemoteBreakin starts a thread at), or 0 if the platform has no such routine.
     */
    long systemRoutineAddress(EProcess process, String ntdllExport);

    // ---- Platforms whose processes exist outside the machine (Linux): ids, discovery, attach, detach, break-in.
    // The defaults are what a fully simulated platform wants: the kernel allocates ids and nothing else happens.

    /**
     * PspCreateProcess's first step on a platform that starts real processes: starts what {@code program} describes
     * and returns its real process id. 0 means "allocate one from the CID table" (the default). A failure aborts the
     * creation with that status; after a success, a later failure of the creation calls
     * {@link #processCreationFailed}.
     */
    default NtResult<Long> createProcessId(EThread creator, Object program) {
        return NtResult.ok(0L);
    }

    /** The creation of {@code process} failed after {@link #createProcessId} succeeded: undo what it started. */
    default void processCreationFailed(EProcess process) {
    }

    /** The id for a new thread of {@code process} (PspCreateThread); 0 means "allocate one from the CID table". */
    default long createThreadId(EProcess process, Object entry) {
        return 0;
    }

    /**
     * PsLookupProcessByProcessId's platform half, asked when the CID table has no process {@code pid}: a platform
     * whose processes can start outside the machine builds and registers the process object for it, or returns null
     * when there is no such process (the default).
     */
    default EProcess lookupProcess(long pid) {
        return null;
    }

    /**
     * NtDebugActiveProcess is about to attach to {@code process} (before its rundown is taken and the fake messages
     * are posted): the platform starts observing it (on Linux: seizes and stops every thread and registers them) and
     * keeps it stopped until {@link #endAttach}. A failure status fails the attach unchanged.
     */
    default NtStatus beginAttach(EProcess process) {
        return NtStatus.STATUS_SUCCESS;
    }

    /** The attach that {@link #beginAttach} prepared ended with {@code status}; the process may run again. */
    default void endAttach(EProcess process, NtStatus status) {
    }

    /**
     * {@code process} lost its debug port (NtRemoveProcessDebug, or its debug object closed without kill-on-close),
     * after Dbgk woke its pending events: the platform stops observing it (on Linux: PTRACE_DETACH).
     */
    default void debugPortRemoved(EProcess process) {
    }

    /**
     * {@code process} has a debug port whose object, when its last handle closes, kills its debuggees
     * ({@code killOnClose}) or detaches them. Called when the port is set and when NtSetInformationDebugObject
     * changes DebugObjectKillProcessOnExitInformation. Dbgk itself applies the flag when the object is closed; a
     * platform whose debuggees could lose their debugger without that close (on Linux: the JVM killed) makes them
     * share the flag's fate (on Linux: PTRACE_O_EXITKILL on or off).
     */
    default void debugPortKillOnClose(EProcess process, boolean killOnClose) {
    }

    /**
     * DbgUiIssueRemoteBreakin on a platform without a DbgUiRemoteBreakin routine: makes a thread of {@code process}
     * raise STATUS_BREAKPOINT (on Linux: PTRACE_INTERRUPT). Default: STATUS_NOT_SUPPORTED.
     */
    default NtStatus breakIn(EProcess process) {
        return NtStatus.STATUS_NOT_SUPPORTED;
    }
}
