package dev.debugport.dbgk;

import dev.debugport.kernel.DebuggerHooks;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.ob.NtObject;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.kernel.ps.ProcessFlags;
import dev.debugport.kernel.ps.Teb;
import dev.debugport.kernel.ps.ThreadFlags;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.DbgkmApiMessage;
import dev.debugport.nt.DbgkmCreateProcess;
import dev.debugport.nt.DbgkmCreateThread;
import dev.debugport.nt.DbgkmException;
import dev.debugport.nt.DbgkmExitProcess;
import dev.debugport.nt.DbgkmExitThread;
import dev.debugport.nt.DbgkmLoadDll;
import dev.debugport.nt.DbgkmUnloadDll;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The notifications the rest of the kernel sends to Dbgk from inside a debuggee (spec dbgk.md §8, §10.5; ReactOS
 * keeps these in dbgkutil.c): thread and process creation and exit, image map and unmap, exception forwarding, and
 * debug-port inheritance at process creation.
 */
final class DebuggeeNotifications implements DebuggerHooks {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Dbgk dbgk;
    private final Kernel kernel;

    DebuggeeNotifications(Dbgk dbgk) {
        this.dbgk = dbgk;
        this.kernel = dbgk.kernel();
    }

    /**
     * Implements DbgkCreateThread (spec §8.3): the first thread to report in a process debugged from creation
     * sends CREATE_PROCESS (start address = the image entry point; no freeze) followed by the system DLL
     * LOAD_DLLs; every later thread sends CREATE_THREAD with its Win32 start address (with the freeze), unless it is
     * hidden from the debugger.
     */
    @Override
    public CompletionStage<Void> createThread(EThread thread) {
        EProcess process = thread.process();
        int old = process.setFlags(ProcessFlags.CREATE_REPORTED | ProcessFlags.IMAGE_NOTIFY_DONE);
        if (process.debugPort() == null) {
            return DONE;
        }
        if ((old & ProcessFlags.CREATE_REPORTED) == 0) {
            ImageInfo image = process.image();
            Handle file = image == null ? Handle.NULL : dbgk.imageFiles.openKernelHandle(image.path());
            DbgkmCreateProcess payload = image == null
                    ? new DbgkmCreateProcess(0, Handle.NULL, 0, 0, 0, DbgkmCreateThread.of(0))
                    : new DbgkmCreateProcess(0, file, image.base(), image.debugInfoFileOffset(), image.debugInfoSize(),
                            DbgkmCreateThread.of(image.entryPoint()));
            return dbgk.queue.sendApiMessage(process, thread, DbgkmApiMessage.of(payload), 0)
                    .thenComposeAsync(result -> {
                        dbgk.imageFiles.closeKernelHandle(result.message().payload().fileHandle());
                        return dbgk.attach().modules().sendSystemDlls(thread);
                    }, kernel.platform().continuationExecutor(thread));
        }
        if (thread.hasCrossThreadFlag(ThreadFlags.HIDE_FROM_DEBUGGER)) {
            return DONE;
        }
        DbgkmApiMessage message = DbgkmApiMessage.of(DbgkmCreateThread.of(thread.win32StartAddress()));
        return dbgk.queue.sendApiMessage(process, thread, message, EventQueue.SEND_FREEZE).thenApply(r -> null);
    }

    /**
     * Implements DbgkExitThread: EXIT_THREAD with the thread's exit status, sent with the process frozen; nothing
     * for a hidden thread, a thread never inserted, or a process without a port.
     */
    @Override
    public CompletionStage<Void> exitThread(EThread thread, int exitStatus) {
        if (thread.hasCrossThreadFlag(ThreadFlags.HIDE_FROM_DEBUGGER) || !thread.hasCrossThreadFlag(ThreadFlags.THREAD_INSERTED)
                || thread.process().debugPort() == null) {
            return DONE;
        }
        DbgkmApiMessage message = DbgkmApiMessage.of(new DbgkmExitThread(exitStatus));
        return dbgk.queue.sendApiMessage(thread.process(), thread, message, EventQueue.SEND_FREEZE).thenApply(r -> null);
    }

    /** Implements DbgkExitProcess: EXIT_PROCESS with the process's exit status, from the last thread, no freeze. */
    @Override
    public CompletionStage<Void> exitProcess(EThread lastThread, int exitStatus) {
        if (lastThread.hasCrossThreadFlag(ThreadFlags.HIDE_FROM_DEBUGGER) || lastThread.process().debugPort() == null) {
            return DONE;
        }
        DbgkmApiMessage message = DbgkmApiMessage.of(new DbgkmExitProcess(exitStatus));
        return dbgk.queue.sendApiMessage(lastThread.process(), lastThread, message, 0).thenApply(r -> null);
    }

    /**
     * Implements DbgkMapViewOfSection (Windows 10): a user-mode image mapping into a debugged process produces
     * LOAD_DLL with the image's file handle and NamePointer = &amp;TEB.ArbitraryUserPointer of the mapping thread,
     * unless the mapper is hidden or (mapping into its own process) its TEB has SuppressDebugMsg set.
     */
    @Override
    public CompletionStage<Void> mapViewOfSection(EProcess target, EThread mapper, ImageInfo image, boolean userMode) {
        if (!isViewReported(target, mapper, userMode)) {
            return DONE;
        }
        Teb teb = mapper.teb();
        Handle file = dbgk.imageFiles.openKernelHandle(image.path());
        long namePointer = teb == null ? 0 : teb.arbitraryUserPointerAddress();
        DbgkmApiMessage message = DbgkmApiMessage.of(new DbgkmLoadDll(file, image.base(), image.debugInfoFileOffset(), image.debugInfoSize(), namePointer));
        return dbgk.queue.sendApiMessage(target, mapper, message, EventQueue.SEND_FREEZE)
                .thenAccept(result -> dbgk.imageFiles.closeKernelHandle(result.message().payload().fileHandle()));
    }

    /** Implements DbgkUnMapViewOfSection: UNLOAD_DLL with the view's base, same guards as the map. */
    @Override
    public CompletionStage<Void> unmapViewOfSection(EProcess target, EThread mapper, long base, boolean userMode) {
        if (!isViewReported(target, mapper, userMode)) {
            return DONE;
        }
        return dbgk.queue.sendApiMessage(target, mapper, DbgkmApiMessage.of(new DbgkmUnloadDll(base)), EventQueue.SEND_FREEZE)
                .thenApply(r -> null);
    }

    /**
     * The guards DbgkMapViewOfSection and DbgkUnMapViewOfSection share: a user-mode view, a mapper not hidden from
     * the debugger, a debugged target, and (mapping into its own process) no SuppressDebugMsg in the mapper's TEB.
     */
    private static boolean isViewReported(EProcess target, EThread mapper, boolean userMode) {
        if (!userMode || mapper.hasCrossThreadFlag(ThreadFlags.HIDE_FROM_DEBUGGER) || target.debugPort() == null) {
            return false;
        }
        Teb teb = mapper.teb();
        return target != mapper.process() || teb == null || (teb.sameTebFlags() & Teb.SUPPRESS_DEBUG_MSG) == 0;
    }

    /**
     * Implements DbgkForwardException (spec §8.2): to the debug port (none for a thread hidden from the debugger)
     * with the process frozen; handled unless the send failed or the debugger answered DBG_EXCEPTION_NOT_HANDLED or
     * another non-success status. There is no exception port (LPC) in this machine, so that path reports FALSE.
     */
    @Override
    public CompletionStage<Boolean> forwardException(EThread thread, ExceptionRecord record, boolean toDebugPort, boolean secondChance) {
        if (!toDebugPort || thread.hasCrossThreadFlag(ThreadFlags.HIDE_FROM_DEBUGGER) || thread.process().debugPort() == null) {
            return CompletableFuture.completedFuture(false);
        }
        DbgkmApiMessage message = DbgkmApiMessage.of(new DbgkmException(record, !secondChance));
        return dbgk.queue.sendApiMessage(thread.process(), thread, message, EventQueue.SEND_FREEZE).thenApply(result -> {
            if (!result.status().isSuccess()) {
                return false;
            }
            NtStatus answer = result.message().returnedStatus();
            return !NtStatus.DBG_EXCEPTION_NOT_HANDLED.equals(answer) && answer.isSuccess();
        });
    }

    /**
     * Implements DbgkCopyProcessDebugPort (spec §10.5, Windows rules): an explicit debug object (DEBUG_PROCESS) is
     * referenced with DEBUG_OBJECT_ADD_REMOVE_PROCESS and becomes the port, NO_DEBUG_INHERIT following the creation
     * flag; otherwise the parent's port is inherited unless the parent has NO_DEBUG_INHERIT or the object is being
     * deleted. Windows 10 refuses a protected child its creator may not touch (STATUS_PROCESS_IS_PROTECTED) and a
     * 64-bit child to a 32-bit WoW64 debugger's object (STATUS_NOT_SUPPORTED); either fails the creation. The child's
     * PEB is marked at once.
     */
    @Override
    public NtStatus copyProcessDebugPort(EThread creator, EProcess child, EProcess parent, Handle debugObject, boolean noDebugInherit) {
        boolean protectedChild = ProcessAccess.isProtectedFrom(creator.process(), child);
        DebugObject port;
        if (!debugObject.isNull()) {
            NtResult<DebugObject> ref = dbgk.objects().referenceObject(creator, ProcessorMode.USER, debugObject, AccessMask.DEBUG_OBJECT_ADD_REMOVE_PROCESS);
            if (!ref.isSuccess()) {
                return ref.status();
            }
            port = ref.value();
            if (protectedChild) {
                port.dereference();
                return NtStatus.STATUS_PROCESS_IS_PROTECTED;
            }
            if ((port.flags() & DebugObject.WOW64_DEBUGGER) != 0 && !child.traits().isWow64_32()) {
                port.dereference();
                return NtStatus.STATUS_NOT_SUPPORTED;
            }
            child.setDebugPort(port);
            if (noDebugInherit) {
                child.setFlags(ProcessFlags.NO_DEBUG_INHERIT);
            }
        } else {
            if (parent.hasFlag(ProcessFlags.NO_DEBUG_INHERIT)) {
                return NtStatus.STATUS_SUCCESS;
            }
            dbgk.portMutex.lock();
            try {
                port = (DebugObject) parent.debugPort();
                if (port == null) {
                    return NtStatus.STATUS_SUCCESS;
                }
                port.mutex.lock();
                try {
                    if (port.deletePending()) {
                        return NtStatus.STATUS_SUCCESS;
                    }
                    if (protectedChild) {
                        return NtStatus.STATUS_PROCESS_IS_PROTECTED;
                    }
                    if ((port.flags & DebugObject.WOW64_DEBUGGER) != 0 && !child.traits().isWow64_32()) {
                        return NtStatus.STATUS_NOT_SUPPORTED;
                    }
                    port.reference();
                    child.setDebugPort(port);
                } finally {
                    port.mutex.unlock();
                }
            } finally {
                dbgk.portMutex.unlock();
            }
        }
        dbgk.debugPortSet(child, port);
        return NtStatus.STATUS_SUCCESS;
    }

    @Override
    public boolean isDebugObject(NtObject object) {
        return dbgk.isDebugObject(object);
    }
}
