package dev.debugport.dbgk;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Detaching a process from its debug object (spec dbgk.md §10.1, §10.2). */
public final class DetachService {
    private final Dbgk dbgk;
    private final Kernel kernel;

    DetachService(Dbgk dbgk) {
        this.dbgk = dbgk;
        this.kernel = dbgk.kernel();
    }

    /**
     * Implements NtRemoveProcessDebug: PROCESS_SUSPEND_RESUME on the process, the protected-process rule,
     * DEBUG_OBJECT_ADD_REMOVE_PROCESS on the object, then DbgkClearProcessDebugObject.
     */
    public NtStatus removeProcessDebug(EThread caller, ProcessorMode mode, Handle processHandle, Handle debugObjectHandle) {
        NtResult<EProcess> processRef = ProcessAccess.referenceForDebugging(kernel, caller, mode, processHandle);
        if (!processRef.isSuccess()) {
            return processRef.status();
        }
        EProcess process = processRef.value();
        try {
            if (ProcessAccess.isProtectedFrom(caller.process(), process)) {
                return NtStatus.STATUS_PROCESS_IS_PROTECTED;
            }
            NtResult<DebugObject> objectRef = dbgk.objects().referenceObject(caller, mode, debugObjectHandle, AccessMask.DEBUG_OBJECT_ADD_REMOVE_PROCESS);
            if (!objectRef.isSuccess()) {
                return objectRef.status();
            }
            try {
                return clearProcessDebugObject(process, objectRef.value());
            } finally {
                objectRef.value().dereference();
            }
        } finally {
            process.dereference();
        }
    }

    /**
     * Implements DbgkClearProcessDebugObject: clears the port (if it is {@code source}, or any port when
     * {@code source} is null), marks the PEB, takes every event of the process off the object (delivered, queued,
     * inactive or fake) and wakes each with STATUS_DEBUGGER_INACTIVE, so an in-flight exception counts as not
     * handled and fake events' threads resume.
     */
    NtStatus clearProcessDebugObject(EProcess process, DebugObject source) {
        DebugObject object;
        dbgk.portMutex.lock();
        try {
            object = (DebugObject) process.debugPort();
            if (object == null || (source != null && object != source)) {
                return NtStatus.STATUS_PORT_NOT_SET;
            }
            process.setDebugPort(null);
        } finally {
            dbgk.portMutex.unlock();
        }
        dbgk.pebMarker.markProcessPeb(process);
        List<DebugEvent> taken = new ArrayList<>();
        object.mutex.lock();
        try {
            for (Iterator<DebugEvent> it = object.events.iterator(); it.hasNext(); ) {
                DebugEvent e = it.next();
                if (e.process == process) {
                    it.remove();
                    taken.add(e);
                }
            }
        } finally {
            object.mutex.unlock();
        }
        object.dereference();
        for (DebugEvent e : taken) {
            e.status = NtStatus.STATUS_DEBUGGER_INACTIVE;
            dbgk.queue.wakeTarget(e);
        }
        kernel.platform().debugPortRemoved(process);
        return NtStatus.STATUS_SUCCESS;
    }
}
