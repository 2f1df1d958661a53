package dev.debugport.dbgk;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.kernel.ps.ProcessFlags;
import dev.debugport.kernel.ps.ThreadFlags;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.DbgkmApiMessage;
import dev.debugport.nt.DbgkmCreateProcess;
import dev.debugport.nt.DbgkmCreateThread;
import dev.debugport.nt.DbgkmPayload;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Attaching a debug object to a running process (spec dbgk.md §6): NtDebugActiveProcess with every check, the fake
 * start-up messages (DbgkpPostFakeProcessCreateMessages, DbgkpPostFakeThreadMessages, the system DLL and module
 * messages) and the commit-or-back-out step DbgkpSetProcessDebugObject.
 */
public final class AttachService {
    private final Dbgk dbgk;
    private final Kernel kernel;
    private final ModuleMessages modules;

    AttachService(Dbgk dbgk) {
        this.dbgk = dbgk;
        this.kernel = dbgk.kernel();
        this.modules = new ModuleMessages(dbgk);
    }

    ModuleMessages modules() {
        return modules;
    }

    /**
     * Implements NtDebugActiveProcess (Windows 10 order, spec §6.1): PROCESS_SUSPEND_RESUME on the process; not
     * the caller itself nor the System process; protected-process and WoW64 rules; DEBUG_OBJECT_ADD_REMOVE_PROCESS
     * on the object; the target's rundown protection; then the fake messages and the commit.
     */
    public NtStatus debugActiveProcess(EThread caller, ProcessorMode mode, Handle processHandle, Handle debugObjectHandle) {
        NtResult<EProcess> processRef = ProcessAccess.referenceForDebugging(kernel, caller, mode, processHandle);
        if (!processRef.isSuccess()) {
            return processRef.status();
        }
        EProcess process = processRef.value();
        try {
            if (process == caller.process() || process == kernel.systemProcess()) {
                return NtStatus.STATUS_ACCESS_DENIED;
            }
            if (ProcessAccess.isProtectedFrom(caller.process(), process)) {
                return NtStatus.STATUS_PROCESS_IS_PROTECTED;
            }
            if (caller.process().traits().isWow64_32() && !process.traits().isWow64_32()) {
                return NtStatus.STATUS_NOT_SUPPORTED;
            }
            NtResult<DebugObject> objectRef = dbgk.objects().referenceObject(caller, mode, debugObjectHandle, AccessMask.DEBUG_OBJECT_ADD_REMOVE_PROCESS);
            if (!objectRef.isSuccess()) {
                return objectRef.status();
            }
            DebugObject object = objectRef.value();
            // The platform starts observing the target first (a real process: every thread seized and stopped), and
            // outside the rundown protection: a platform may wait for its own threads there.
            NtStatus prepared = kernel.platform().beginAttach(process);
            if (!prepared.isSuccess()) {
                object.dereference();
                return prepared;
            }
            NtStatus status = NtStatus.STATUS_UNSUCCESSFUL;
            try {
                if (!process.rundown().acquire()) {
                    status = NtStatus.STATUS_PROCESS_IS_TERMINATING;
                    return status;
                }
                try {
                    FakeThreadResult posted = postFakeProcessCreateMessages(process, object, caller);
                    status = setProcessDebugObject(process, object, posted.status(), posted.last(), caller);
                    return status;
                } finally {
                    process.rundown().release();
                }
            } finally {
                object.dereference();
                kernel.platform().endAttach(process, status);
            }
        } finally {
            process.dereference();
        }
    }

    /** The result of posting fake thread messages: a status and the first and last threads seen. */
    record FakeThreadResult(NtStatus status, EThread first, EThread last) {
    }

    /**
     * Implements DbgkpPostFakeProcessCreateMessages (Windows 10): the thread messages, then the module messages
     * attributed to the first thread.
     */
    FakeThreadResult postFakeProcessCreateMessages(EProcess process, DebugObject object, EThread attacher) {
        FakeThreadResult threads = postFakeThreadMessages(process, object, null, attacher);
        if (threads.status().isSuccess()) {
            modules.postModuleMessages(process, threads.first(), object, attacher);
        }
        return threads;
    }

    /**
     * Implements DbgkpPostFakeThreadMessages (spec §6.3): walks the thread list from {@code startThread} (or the
     * head), skipping system threads and threads never inserted; for each, takes its rundown protection and
     * suspends it, then queues a no-wait CREATE_PROCESS (first reportable thread, followed at once by the system DLL
     * LOAD_DLLs) or CREATE_THREAD. A queue failure undoes that thread and ends the walk. No first thread means
     * STATUS_UNSUCCESSFUL.
     */
    FakeThreadResult postFakeThreadMessages(EProcess process, DebugObject object, EThread startThread, EThread attacher) {
        NtStatus status = NtStatus.STATUS_UNSUCCESSFUL;
        EThread first = startThread;
        EThread last = null;
        boolean firstSlot = startThread == null;
        ThreadWalk walk = new ThreadWalk(process, startThread);
        for (EThread thread = walk.current(); thread != null; thread = walk.next()) {
            last = thread;
            if (thread.isSystemThread() || !waitForInsertion(thread)) {
                continue;
            }
            int flags;
            if (thread.rundown().acquire()) {
                flags = DebugEventFlags.NOWAIT | DebugEventFlags.RELEASE;
                if (kernel.processes().suspendThread(thread).isSuccess()) {
                    flags |= DebugEventFlags.SUSPEND;
                }
            } else {
                flags = DebugEventFlags.NOWAIT | DebugEventFlags.PROTECT_FAILED;
            }
            boolean createProcess = firstSlot && (flags & DebugEventFlags.PROTECT_FAILED) == 0;
            DbgkmPayload payload = createProcess ? fakeCreateProcess(process) : DbgkmCreateThread.of(thread.win32StartAddress());
            NtStatus queued = dbgk.queue.queueNoWaitMessage(process, thread, DbgkmApiMessage.of(payload),
                    flags & ~(DebugEventFlags.NOWAIT | DebugEventFlags.INACTIVE), object, attacher);
            if (!queued.isSuccess()) {
                undo(thread, flags, payload);
                status = queued;
                break;
            }
            status = NtStatus.STATUS_SUCCESS;
            if (createProcess) {
                firstSlot = false;
                first = thread;
                modules.queueSystemDlls(process, thread, object, attacher);
            }
        }
        if (!status.isSuccess()) {
            return new FakeThreadResult(status, null, null);
        }
        if (first == null) {
            return new FakeThreadResult(NtStatus.STATUS_UNSUCCESSFUL, null, null);
        }
        return new FakeThreadResult(status, first, last);
    }

    /** PsSynchronizeWithThreadInsertion: waits out an insertion in progress; false if the thread was never inserted. */
    private static boolean waitForInsertion(EThread thread) {
        while (!thread.hasCrossThreadFlag(ThreadFlags.THREAD_INSERTED)) {
            if (!thread.process().threads().contains(thread)) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    private void undo(EThread thread, int flags, DbgkmPayload payload) {
        if ((flags & DebugEventFlags.SUSPEND) != 0) {
            kernel.processes().resumeThread(thread);
        }
        if ((flags & DebugEventFlags.RELEASE) != 0) {
            thread.rundown().release();
        }
        dbgk.imageFiles.closeKernelHandle(payload.fileHandle());
    }

    /** The fake CREATE_PROCESS payload: the image's file, base and debug info, and a null start address. */
    private DbgkmCreateProcess fakeCreateProcess(EProcess process) {
        ImageInfo image = process.image();
        if (image == null) {
            return new DbgkmCreateProcess(0, Handle.NULL, 0, 0, 0, DbgkmCreateThread.of(0));
        }
        Handle file = dbgk.imageFiles.openKernelHandle(image.path());
        return new DbgkmCreateProcess(0, file, image.base(), image.debugInfoFileOffset(), image.debugInfoSize(), DbgkmCreateThread.of(0));
    }

    /**
     * Implements DbgkpSetProcessDebugObject (spec §6.8): publishes the port under the port mutex, re-scanning for
     * threads created during the attach; then, under the object mutex, either commits (activates the first fake,
     * marks each fake's thread SkipCreationMsg, sets CREATE_REPORTED | NO_DEBUG_INHERIT) or backs every fake out.
     * A thread that was exiting gets SkipTerminationMsg and its fake is discarded. Finally the PEB is marked.
     */
    NtStatus setProcessDebugObject(EProcess process, DebugObject object, NtStatus msgStatus, EThread lastThread, EThread attacher) {
        NtStatus status = msgStatus;
        boolean portHeld = false;
        if (status.isSuccess()) {
            while (true) {
                dbgk.portMutex.lock();
                portHeld = true;
                if (process.debugPort() != null) {
                    status = NtStatus.STATUS_PORT_ALREADY_SET;
                    break;
                }
                process.setDebugPort(object);
                EThread next = process.nextThread(lastThread);
                if (next == null) {
                    break;
                }
                process.setDebugPort(null);
                dbgk.portMutex.unlock();
                portHeld = false;
                FakeThreadResult more = postFakeThreadMessages(process, object, next, attacher);
                if (!more.status().isSuccess()) {
                    status = more.status();
                    break;
                }
                lastThread = more.last();
            }
        }
        List<DebugEvent> backout = new ArrayList<>();
        object.mutex.lock();
        try {
            if (status.isSuccess()) {
                if (object.deletePending()) {
                    process.setDebugPort(null);
                    status = NtStatus.STATUS_DEBUGGER_INACTIVE;
                } else {
                    process.setFlags(ProcessFlags.CREATE_REPORTED | ProcessFlags.NO_DEBUG_INHERIT);
                    object.reference();
                }
            }
            boolean first = true;
            for (Iterator<DebugEvent> it = object.events.iterator(); it.hasNext(); ) {
                DebugEvent e = it.next();
                if (!e.has(DebugEventFlags.INACTIVE) || e.backoutThread != attacher) {
                    continue;
                }
                if (!status.isSuccess()) {
                    it.remove();
                    backout.add(e);
                } else if (e.has(DebugEventFlags.PROTECT_FAILED)) {
                    e.thread.setCrossThreadFlags(ThreadFlags.SKIP_TERMINATION_MSG);
                    it.remove();
                    backout.add(e);
                } else {
                    if (first) {
                        e.flags &= ~DebugEventFlags.INACTIVE;
                        object.eventsPresent.set();
                        first = false;
                    }
                    e.backoutThread = null;
                    e.thread.setCrossThreadFlags(ThreadFlags.SKIP_CREATION_MSG);
                }
                if (e.has(DebugEventFlags.RELEASE)) {
                    e.flags &= ~DebugEventFlags.RELEASE;
                    e.thread.rundown().release();
                }
            }
        } finally {
            object.mutex.unlock();
            if (portHeld) {
                dbgk.portMutex.unlock();
            }
        }
        for (DebugEvent e : backout) {
            dbgk.queue.wakeTarget(e);
        }
        if (status.isSuccess()) {
            dbgk.debugPortSet(process, object);
        }
        return status;
    }
}
