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
}
