package dev.debugport.kernel;

import dev.debugport.kernel.ke.Dispatcher;
import dev.debugport.kernel.ke.DispatcherObject;
import dev.debugport.kernel.ob.HandleEntry;
import dev.debugport.kernel.ob.NtObject;
import dev.debugport.kernel.ob.ObjectManager;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The object, process, thread and memory system services a debugger uses besides the Dbgk ones: NtClose, the waits,
 * NtOpenProcess / NtOpenThread, NtRead/WriteVirtualMemory, NtGet/SetContextThread, NtSuspend/ResumeThread and
 * Process, NtTerminateProcess / Thread. Each validates as NT does and returns an NTSTATUS.
 */
public final class NtServices {
    /** The rights an unprotected caller may still get on a protected process (PROCESS_QUERY_LIMITED_INFORMATION etc.). */
    private static final int PROTECTED_PROCESS_ALLOWED = AccessMask.PROCESS_QUERY_LIMITED_INFORMATION
            | AccessMask.PROCESS_SUSPEND_RESUME | AccessMask.PROCESS_TERMINATE | AccessMask.SYNCHRONIZE;

    private final Kernel kernel;

    public NtServices(Kernel kernel) {
        this.kernel = kernel;
    }

    /** Implements NtClose. */
    public NtStatus close(EThread caller, ProcessorMode mode, Handle handle) {
        return kernel.objectManager().close(kernel.caller(caller, mode), handle);
    }

    /** Implements NtWaitForSingleObject (needs SYNCHRONIZE on the handle). */
    public NtStatus waitForSingleObject(EThread caller, ProcessorMode mode, Handle handle, boolean alertable, Long timeout) {
        Dispatcher.WaitOutcome outcome = waitForMultipleObjects(caller, mode, List.of(handle), alertable, timeout);
        return outcome.status();
    }

    /** Implements NtWaitForMultipleObjects with WaitAny: the outcome's index names the signalled handle. */
    public Dispatcher.WaitOutcome waitForMultipleObjects(EThread caller, ProcessorMode mode, List<Handle> handles, boolean alertable, Long timeout) {
        List<NtObject> referenced = new ArrayList<>();
        List<DispatcherObject> waitables = new ArrayList<>();
        try {
            for (Handle h : handles) {
                NtResult<NtObject> ref = kernel.objectManager().referenceByHandle(kernel.caller(caller, mode), h, AccessMask.SYNCHRONIZE, null, NtObject.class);
                if (!ref.isSuccess()) {
                    return new Dispatcher.WaitOutcome(ref.status(), -1);
                }
                referenced.add(ref.value());
                DispatcherObject w = ref.value().waitable();
                if (w == null) {
                    return new Dispatcher.WaitOutcome(NtStatus.STATUS_OBJECT_TYPE_MISMATCH, -1);
                }
                waitables.add(w);
            }
            return Dispatcher.waitForAny(caller.waiter(), waitables, alertable, timeout);
        } finally {
            referenced.forEach(NtObject::dereference);
        }
    }

    /**
     * Implements NtOpenProcess by process id. Opening is not access-checked against a security descriptor (we model
     * none), but an unprotected caller gets only limited rights on a protected process.
     */
    public NtStatus openProcess(EThread caller, ProcessorMode mode, UserPointer<Handle> handle, int desiredAccess, long pid) {
        NtStatus probe = handle.probe();
        if (!probe.isSuccess()) {
            return probe;
        }
        EProcess target = kernel.clientIds().process(pid);
        if (target == null) {
            target = kernel.platform().lookupProcess(pid);
        }
        if (target == null) {
            return NtStatus.STATUS_INVALID_CID;
        }
        int wanted = EProcess.TYPE.genericMapping().map(desiredAccess);
        if (mode == ProcessorMode.USER && target.traits().protectionLevel() > caller.process().traits().protectionLevel()
                && (wanted & ~PROTECTED_PROCESS_ALLOWED & ~AccessMask.MAXIMUM_ALLOWED) != 0) {
            return NtStatus.STATUS_ACCESS_DENIED;
        }
        handle.set(kernel.objectManager().openByPointer(caller.process().handleTable(), target, desiredAccess));
        return NtStatus.STATUS_SUCCESS;
    }

    /** Implements NtOpenThread by thread id. */
    public NtStatus openThread(EThread caller, ProcessorMode mode, UserPointer<Handle> handle, int desiredAccess, long tid) {
        NtStatus probe = handle.probe();
        if (!probe.isSuccess()) {
            return probe;
        }
        EThread target = kernel.clientIds().thread(tid);
        if (target == null) {
            return NtStatus.STATUS_INVALID_CID;
        }
        handle.set(kernel.objectManager().openByPointer(caller.process().handleTable(), target, desiredAccess));
        return NtStatus.STATUS_SUCCESS;
    }

    /**
     * Implements NtReadVirtualMemory (PROCESS_VM_READ): STATUS_PARTIAL_COPY when only part of the range is
     * readable, STATUS_ACCESS_VIOLATION when none of it is.
     */
    public NtStatus readVirtualMemory(EThread caller, ProcessorMode mode, Handle process, long address, byte[] buffer, int length, UserPointer<Long> bytesRead) {
        return copyMemory(caller, mode, process, address, buffer, length, bytesRead, AccessMask.PROCESS_VM_READ, false);
    }

    /** Implements NtWriteVirtualMemory (PROCESS_VM_WRITE); writes code pages as a debugger's breakpoints need. */
    public NtStatus writeVirtualMemory(EThread caller, ProcessorMode mode, Handle process, long address, byte[] buffer, int length, UserPointer<Long> bytesWritten) {
        return copyMemory(caller, mode, process, address, buffer, length, bytesWritten, AccessMask.PROCESS_VM_WRITE, true);
    }

    private NtStatus copyMemory(EThread caller, ProcessorMode mode, Handle process, long address, byte[] buffer, int length,
                                UserPointer<Long> transferred, int access, boolean write) {
        if (length < 0 || length > buffer.length) {
            return NtStatus.STATUS_INVALID_PARAMETER;
        }
        NtResult<EProcess> ref = kernel.objectManager().referenceByHandle(kernel.caller(caller, mode), process, access, EProcess.TYPE, EProcess.class);
        if (!ref.isSuccess()) {
            return ref.status();
        }
        try {
            if (ref.value().memory() == null || ref.value().hasExited()) {
                return NtStatus.STATUS_PROCESS_IS_TERMINATING;
            }
            int done = write
                    ? ref.value().memory().write(address, buffer, 0, length)
                    : ref.value().memory().read(address, buffer, 0, length);
            if (transferred != null) {
                transferred.set((long) done);
            }
            if (done == length) {
                return NtStatus.STATUS_SUCCESS;
            }
            return done == 0 ? NtStatus.STATUS_ACCESS_VIOLATION : NtStatus.STATUS_PARTIAL_COPY;
        } finally {
            ref.value().dereference();
        }
    }

    /** Implements NtGetContextThread (THREAD_GET_CONTEXT). */
    public NtStatus getContextThread(EThread caller, ProcessorMode mode, Handle thread, UserPointer<Amd64Context> context) {
        NtStatus probe = context.probe();
        if (!probe.isSuccess()) {
            return probe;
        }
        NtResult<EThread> ref = referenceThread(caller, mode, thread, AccessMask.THREAD_GET_CONTEXT);
        if (!ref.isSuccess()) {
            return ref.status();
        }
        try {
            if (ref.value().hasExited()) {
                return NtStatus.STATUS_THREAD_IS_TERMINATING;
            }
            context.set(kernel.platform().getContext(ref.value()));
            return NtStatus.STATUS_SUCCESS;
        } finally {
            ref.value().dereference();
        }
    }

    /** Implements NtSetContextThread (THREAD_SET_CONTEXT). */
    public NtStatus setContextThread(EThread caller, ProcessorMode mode, Handle thread, Amd64Context context) {
        if (context == null) {
            return NtStatus.STATUS_ACCESS_VIOLATION;
        }
        NtResult<EThread> ref = referenceThread(caller, mode, thread, AccessMask.THREAD_SET_CONTEXT);
        if (!ref.isSuccess()) {
            return ref.status();
        }
        try {
            if (ref.value().hasExited()) {
                return NtStatus.STATUS_THREAD_IS_TERMINATING;
            }
            return kernel.platform().setContext(ref.value(), context);
        } finally {
            ref.value().dereference();
        }
    }

    /** Implements NtSuspendThread: the previous suspend count goes to {@code previousCount}. */
    public NtStatus suspendThread(EThread caller, ProcessorMode mode, Handle thread, UserPointer<Integer> previousCount) {
        NtResult<EThread> ref = referenceThread(caller, mode, thread, AccessMask.THREAD_SUSPEND_RESUME);
        if (!ref.isSuccess()) {
            return ref.status();
        }
        try {
            NtResult<Integer> r = kernel.processes().suspendThread(ref.value());
            if (r.isSuccess() && previousCount != null) {
                previousCount.set(r.value());
            }
            return r.status();
        } finally {
            ref.value().dereference();
        }
    }

    /** Implements NtResumeThread. */
    public NtStatus resumeThread(EThread caller, ProcessorMode mode, Handle thread, UserPointer<Integer> previousCount) {
        NtResult<EThread> ref = referenceThread(caller, mode, thread, AccessMask.THREAD_SUSPEND_RESUME);
        if (!ref.isSuccess()) {
            return ref.status();
        }
        int previous = kernel.processes().resumeThread(ref.value());
        ref.value().dereference();
        if (previousCount != null) {
            previousCount.set(previous);
        }
        return NtStatus.STATUS_SUCCESS;
    }

    /** Implements NtSuspendProcess (PROCESS_SUSPEND_RESUME). */
    public NtStatus suspendProcess(EThread caller, ProcessorMode mode, Handle process) {
        return withProcess(caller, mode, process, AccessMask.PROCESS_SUSPEND_RESUME, p -> kernel.processes().suspendProcess(p));
    }

    /** Implements NtResumeProcess (PROCESS_SUSPEND_RESUME). */
    public NtStatus resumeProcess(EThread caller, ProcessorMode mode, Handle process) {
        return withProcess(caller, mode, process, AccessMask.PROCESS_SUSPEND_RESUME, p -> kernel.processes().resumeProcess(p));
    }

    /** Implements NtTerminateProcess (PROCESS_TERMINATE). */
    public NtStatus terminateProcess(EThread caller, ProcessorMode mode, Handle process, int exitStatus) {
        return withProcess(caller, mode, process, AccessMask.PROCESS_TERMINATE, p -> kernel.processes().terminateProcess(p, exitStatus));
    }

    /** Implements NtTerminateThread (THREAD_TERMINATE). */
    public NtStatus terminateThread(EThread caller, ProcessorMode mode, Handle thread, int exitStatus) {
        NtResult<EThread> ref = referenceThread(caller, mode, thread, AccessMask.THREAD_TERMINATE);
        if (!ref.isSuccess()) {
            return ref.status();
        }
        NtStatus s = kernel.processes().terminateThread(ref.value(), exitStatus);
        ref.value().dereference();
        return s;
    }

    /** The exit status of a process (ProcessBasicInformation.ExitStatus; 0x103 STILL_ACTIVE while it runs). */
    public NtResult<Integer> processExitStatus(EThread caller, ProcessorMode mode, Handle process) {
        NtResult<EProcess> ref = kernel.objectManager().referenceByHandle(kernel.caller(caller, mode), process,
                AccessMask.PROCESS_QUERY_LIMITED_INFORMATION, EProcess.TYPE, EProcess.class);
        if (!ref.isSuccess()) {
            // PROCESS_QUERY_INFORMATION implies the limited right, as on Windows.
            ref = kernel.objectManager().referenceByHandle(kernel.caller(caller, mode), process,
                    AccessMask.PROCESS_QUERY_INFORMATION, EProcess.TYPE, EProcess.class);
            if (!ref.isSuccess()) {
                return NtResult.fail(ref.status());
            }
        }
        int status = ref.value().hasExited() ? ref.value().exitStatus() : 0x103;
        ref.value().dereference();
        return NtResult.ok(status);
    }

    /** The object a handle names, without an access check (for diagnostics such as `!handle`). */
    public HandleEntry lookupHandle(EThread caller, Handle handle) {
        return kernel.objectManager().resolve(kernel.caller(caller, ProcessorMode.KERNEL), handle);
    }

    private NtResult<EThread> referenceThread(EThread caller, ProcessorMode mode, Handle thread, int access) {
        ObjectManager.Caller c = kernel.caller(caller, mode);
        return kernel.objectManager().referenceByHandle(c, thread, access, EThread.TYPE, EThread.class);
    }

    private NtStatus withProcess(EThread caller, ProcessorMode mode, Handle process, int access, java.util.function.Function<EProcess, NtStatus> action) {
        NtResult<EProcess> ref = kernel.objectManager().referenceByHandle(kernel.caller(caller, mode), process, access, EProcess.TYPE, EProcess.class);
        if (!ref.isSuccess()) {
            return ref.status();
        }
        try {
            return action.apply(ref.value());
        } finally {
            ref.value().dereference();
        }
    }
}
