package dev.debugport.dbgk;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ob.NtObject;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.DebugObjectFlags;
import dev.debugport.nt.Handle;
import dev.debugport.nt.InformationClass;
import dev.debugport.nt.NtStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The debug object itself (spec dbgk.md §5, §10.3, §10.4): NtCreateDebugObject, NtSetInformationDebugObject and the
 * type's close procedure DbgkpCloseObject.
 */
public final class DebugObjectServices {
    private final Dbgk dbgk;

    DebugObjectServices(Dbgk dbgk) {
        this.dbgk = dbgk;
    }

    /**
     * Implements NtCreateDebugObject (Windows 10 order): probe the output, zero it, reject flags other than
     * DEBUG_KILL_ON_CLOSE, create the object (marked as a 32-bit debugger's when the caller is a WoW64 i386/ARMNT
     * process) and insert it with {@code desiredAccess}.
     *
     * @param name the object name from OBJECT_ATTRIBUTES, or null for an unnamed object
     */
    public NtStatus createDebugObject(EThread caller, ProcessorMode mode, UserPointer<Handle> handle, int desiredAccess, String name, int flags) {
        if (mode == ProcessorMode.USER) {
            NtStatus probe = handle.probe();
            if (!probe.isSuccess()) {
                return probe;
            }
        }
        handle.set(Handle.NULL);
        if ((flags & ~DebugObjectFlags.DEBUG_KILL_ON_CLOSE) != 0) {
            return NtStatus.STATUS_INVALID_PARAMETER;
        }
        int objectFlags = (flags & DebugObjectFlags.DEBUG_KILL_ON_CLOSE) != 0 ? DebugObject.KILL_ON_CLOSE : 0;
        if (caller.process().traits().isWow64_32()) {
            objectFlags |= DebugObject.WOW64_DEBUGGER;
        }
        DebugObject object = new DebugObject(dbgk.debugObjectType, objectFlags);
        NtResult<Handle> inserted = dbgk.kernel().objectManager().insert(caller.process().handleTable(), object, desiredAccess, name);
        if (!inserted.isSuccess()) {
            return inserted.status();
        }
        return handle.set(inserted.value());
    }

    /**
     * Implements NtSetInformationDebugObject (Windows 10/11, spec §10.3): class 1 only, a 4-byte ULONG of 0 or 1,
     * DEBUG_OBJECT_SET_INFORMATION access; sets or clears kill-on-close.
     *
     * @param buffer the caller's ULONG
     * @param returnLength may be null
     */
    public NtStatus setInformationDebugObject(EThread caller, ProcessorMode mode, Handle handle, int infoClass,
                                              UserPointer<Integer> buffer, int length, UserPointer<Integer> returnLength) {
        if (mode == ProcessorMode.USER) {
            if (length != 0) {
                NtStatus probe = buffer.probe();
                if (!probe.isSuccess()) {
                    return probe;
                }
            }
            if (returnLength != null) {
                NtStatus probe = returnLength.probe();
                if (!probe.isSuccess()) {
                    return probe;
                }
            }
        }
        if (returnLength != null) {
            returnLength.set(0);
        }
        if (infoClass != InformationClass.DebugObjectKillProcessOnExitInformation) {
            return NtStatus.STATUS_INVALID_PARAMETER;
        }
        if (length != Integer.BYTES) {
            if (returnLength != null) {
                returnLength.set(Integer.BYTES);
            }
            return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
        }
        int value = buffer.get() == null ? 0 : buffer.get();
        if ((value & ~DebugObjectFlags.DEBUG_KILL_ON_CLOSE) != 0) {
            return NtStatus.STATUS_INVALID_PARAMETER;
        }
        NtResult<DebugObject> ref = referenceObject(caller, mode, handle, AccessMask.DEBUG_OBJECT_SET_INFORMATION);
        if (!ref.isSuccess()) {
            return ref.status();
        }
        DebugObject object = ref.value();
        object.mutex.lock();
        try {
            object.flags = value != 0 ? object.flags | DebugObject.KILL_ON_CLOSE : object.flags & ~DebugObject.KILL_ON_CLOSE;
        } finally {
            object.mutex.unlock();
        }
        Kernel kernel = dbgk.kernel();
        for (EProcess debuggee : kernel.clientIds().allProcesses()) {
            if (debuggee.debugPort() == object) {
                kernel.platform().debugPortKillOnClose(debuggee, value != 0);
            }
        }
        object.dereference();
        return NtStatus.STATUS_SUCCESS;
    }

    /** ObReferenceObjectByHandle for a debug object with the given access. */
    NtResult<DebugObject> referenceObject(EThread caller, ProcessorMode mode, Handle handle, int access) {
        Kernel kernel = dbgk.kernel();
        return kernel.objectManager().referenceByHandle(kernel.caller(caller, mode), handle, access, dbgk.debugObjectType, DebugObject.class);
    }

    /**
     * Implements DbgkpCloseObject, the type's close procedure: only the last handle matters. Marks the object
     * delete-pending, takes every queued event off it, wakes every waiter (they return STATUS_DEBUGGER_INACTIVE),
     * detaches every process debugged through it (terminating each with STATUS_DEBUGGER_INACTIVE under
     * kill-on-close), then wakes each taken event's sender with STATUS_DEBUGGER_INACTIVE.
     */
    void closeObject(Object process, NtObject closing, int grantedAccess, int systemHandleCount) {
        if (systemHandleCount > 1) {
            return;
        }
        DebugObject object = (DebugObject) closing;
        List<DebugEvent> taken;
        boolean kill;
        object.mutex.lock();
        try {
            object.flags |= DebugObject.DELETE_PENDING;
            taken = new ArrayList<>(object.events);
            object.events.clear();
            kill = (object.flags & DebugObject.KILL_ON_CLOSE) != 0;
        } finally {
            object.mutex.unlock();
        }
        object.eventsPresent.set();
        Kernel kernel = dbgk.kernel();
        List<EProcess> released = new ArrayList<>();
        for (EProcess debuggee : kernel.clientIds().allProcesses()) {
            if (debuggee.debugPort() != object) {
                continue;
            }
            boolean detached = false;
            dbgk.portMutex.lock();
            try {
                if (debuggee.debugPort() == object) {
                    debuggee.setDebugPort(null);
                    detached = true;
                }
            } finally {
                dbgk.portMutex.unlock();
            }
            if (detached) {
                dbgk.pebMarker.markProcessPeb(debuggee);
                if (kill) {
                    kernel.processes().terminateProcess(debuggee, NtStatus.STATUS_DEBUGGER_INACTIVE.value());
                } else {
                    released.add(debuggee);
                }
                object.dereference();
            }
        }
        for (DebugEvent event : taken) {
            event.status = NtStatus.STATUS_DEBUGGER_INACTIVE;
            dbgk.queue.wakeTarget(event);
        }
        for (EProcess debuggee : released) {
            kernel.platform().debugPortRemoved(debuggee);
        }
    }
}
