package dev.debugport.dbgk;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.Handle;

/** The process checks attach, detach and debug-port inheritance share. */
final class ProcessAccess {
    private ProcessAccess() {
    }

    /** ObReferenceObjectByHandle of a process with PROCESS_SUSPEND_RESUME, the access attach and detach need. */
    static NtResult<EProcess> referenceForDebugging(Kernel kernel, EThread caller, ProcessorMode mode, Handle process) {
        return kernel.objectManager().referenceByHandle(kernel.caller(caller, mode), process, AccessMask.PROCESS_SUSPEND_RESUME,
                EProcess.TYPE, EProcess.class);
    }

    /**
     * Implements PsTestProtectedProcessIncompatibility: a process may not debug one protected at a higher level than
     * its own.
     */
    static boolean isProtectedFrom(EProcess caller, EProcess target) {
        return target.traits().protectionLevel() > caller.traits().protectionLevel();
    }
}
