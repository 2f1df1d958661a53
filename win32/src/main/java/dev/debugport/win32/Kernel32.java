package dev.debugport.win32;

import dev.debugport.dbgk.Dbgk;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.NtServices;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.Peb;
import dev.debugport.kernel.ps.ProcessManager;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.ClientId;
import dev.debugport.nt.DbguiWaitStateChange;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.Handle;
import dev.debugport.nt.InformationClass;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;

/**
 * The Win32 debugging API of kernel32/kernelbase for one calling thread (spec dbgk.md §12), plus the handle,
 * memory, context and process calls a debugger makes. Failures return FALSE (or the documented failure value) and
 * set the thread's last error as Windows does.
 */
public final class Kernel32 {
    /** INFINITE, for waits. */
    public static final int INFINITE = 0xFFFFFFFF;
    /** WaitForSingleObject results. */
    public static final int WAIT_OBJECT_0 = 0;
    public static final int WAIT_TIMEOUT = 0x102;
    public static final int WAIT_FAILED = 0xFFFFFFFF;
    /** The rights DebugActiveProcess opens the target with (CREATE_THREAD | VM_* | SUSPEND_RESUME | QUERY_INFORMATION). */
    static final int DEBUG_ATTACH_ACCESS = 0xC3A;

    private final Dbgk dbgk;
    private final Kernel kernel;
    private final NtServices nt;
    private final EThread thread;
    private final DbgUi dbgUi;

    public Kernel32(Dbgk dbgk, EThread thread) {
        this.dbgk = dbgk;
        this.kernel = dbgk.kernel();
        this.nt = kernel.services();
        this.thread = thread;
        this.dbgUi = new DbgUi(dbgk, thread);
    }

    public EThread thread() {
        return thread;
    }

    public DbgUi dbgUi() {
        return dbgUi;
    }

    /** GetLastError. */
    public int getLastError() {
        return thread.teb().lastErrorValue();
    }

    /** SetLastError. */
    public void setLastError(int error) {
        thread.teb().setLastErrorValue(error);
    }

    /** BaseSetLastNTError: sets the Win32 error for an NTSTATUS and returns false. */
    private boolean fail(NtStatus status) {
        setLastError(Win32Error.fromNtStatus(status));
        return false;
    }

    /** What OpenProcess / OpenThread return: the opened handle, or Handle.NULL with the last error set. */
    private Handle openedOrNull(NtStatus status, UserPointer<Handle> opened) {
        if (status.isSuccess()) {
            return opened.get();
        }
        fail(status);
        return Handle.NULL;
    }

    private SavedDebugHandles savedHandles() {
        Object list = thread.teb().savedDebugHandles();
        if (list == null) {
            list = new SavedDebugHandles();
            thread.teb().setSavedDebugHandles(list);
        }
        return (SavedDebugHandles) list;
    }

    /**
     * CreateProcess with the debug creation flags: DEBUG_PROCESS / DEBUG_ONLY_THIS_PROCESS connect the thread to
     * its debug object (DbgUiConnectToDbg) and pass it to process creation; DEBUG_ONLY_THIS_PROCESS also asks for
     * PROCESS_CREATE_FLAGS_NO_DEBUG_INHERIT. CREATE_SUSPENDED starts the initial thread suspended.
     *
     * @param program the platform's description of the program to run
     */
    public boolean createProcess(Object program, int creationFlags, UserPointer<ProcessInformation> info) {
        boolean debug = (creationFlags & (DebugCreationFlags.DEBUG_PROCESS | DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS)) != 0;
        Handle debugObject = Handle.NULL;
        if (debug) {
            NtStatus connected = dbgUi.connectToDbg();
            if (!connected.isSuccess()) {
                return fail(connected);
            }
            debugObject = dbgUi.getThreadDebugObject();
        }
        boolean noInherit = (creationFlags & DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS) != 0;
        boolean suspended = (creationFlags & DebugCreationFlags.CREATE_SUSPENDED) != 0;
        ProcessManager.CreateProcessRequest request = new ProcessManager.CreateProcessRequest(program,
                kernel.platform().traitsOf(program), debugObject, noInherit, suspended);
        NtResult<ProcessManager.CreatedProcess> created = kernel.processes().createProcess(thread, request);
        if (!created.isSuccess()) {
            return fail(created.status());
        }
        var p = created.value();
        Handle hProcess = kernel.objectManager().openByPointer(thread.process().handleTable(), p.process(), AccessMask.PROCESS_ALL_ACCESS);
        Handle hThread = kernel.objectManager().openByPointer(thread.process().handleTable(), p.initialThread(), AccessMask.THREAD_ALL_ACCESS);
        info.set(new ProcessInformation(hProcess, hThread, (int) p.process().pid(), (int) p.initialThread().tid()));
        return true;
    }

    /**
     * DebugActiveProcess: connect, open the process with 0xC3A, DbgUiDebugActiveProcess (attach and break in), close
     * the process handle. STATUS_PORT_ALREADY_SET maps to ERROR_INVALID_PARAMETER, STATUS_ACCESS_DENIED to
     * ERROR_ACCESS_DENIED.
     */
    public boolean debugActiveProcess(int processId) {
        NtStatus connected = dbgUi.connectToDbg();
        if (!connected.isSuccess()) {
            return fail(connected);
        }
        UserPointer<Handle> h = UserPointer.of(Handle.NULL);
        NtStatus opened = nt.openProcess(thread, ProcessorMode.USER, h, DEBUG_ATTACH_ACCESS, Integer.toUnsignedLong(processId));
        if (!opened.isSuccess()) {
            return fail(opened);
        }
        NtStatus status = dbgUi.debugActiveProcess(h.get());
        nt.close(thread, ProcessorMode.USER, h.get());
        return status.isSuccess() || fail(status);
    }

    /** WaitForDebugEvent: wide debug strings arrive as their ANSI copy. */
    public boolean waitForDebugEvent(UserPointer<DebugEvent> event, int milliseconds) {
        return waitForDebugEvent(event, milliseconds, false);
    }

    /** WaitForDebugEventEx (Windows 10): wide debug strings arrive as Unicode OUTPUT_DEBUG_STRING events. */
    public boolean waitForDebugEventEx(UserPointer<DebugEvent> event, int milliseconds) {
        return waitForDebugEvent(event, milliseconds, true);
    }

    private boolean waitForDebugEvent(UserPointer<DebugEvent> event, int milliseconds, boolean ex) {
        Long timeout = milliseconds == INFINITE ? null : -Integer.toUnsignedLong(milliseconds) * 10_000L;
        UserPointer<DbguiWaitStateChange> sc = UserPointer.of(DbguiWaitStateChange.ZERO);
        NtStatus status;
        do {
            status = dbgUi.waitStateChange(sc, timeout);
        } while (NtStatus.STATUS_USER_APC.equals(status) || NtStatus.STATUS_ALERTED.equals(status));
        if (NtStatus.STATUS_TIMEOUT.equals(status)) {
            setLastError(Win32Error.ERROR_SEM_TIMEOUT);
            return false;
        }
        if (!status.isSuccess()) {
            return fail(status);
        }
        UserPointer<DebugEvent> converted = UserPointer.empty();
        NtStatus conversion = ex ? dbgUi.convertStateChangeStructureEx(sc.get(), converted) : dbgUi.convertStateChangeStructure(sc.get(), converted);
        if (!conversion.isSuccess()) {
            return fail(conversion);
        }
        DebugEvent e = converted.get();
        saveHandles(e);
        return event.set(e).isSuccess() || fail(NtStatus.STATUS_ACCESS_VIOLATION);
    }

    /** Records the handles an event hands out, and marks them for closing on thread or process exit. */
    private void saveHandles(DebugEvent e) {
        SavedDebugHandles saved = savedHandles();
        switch (e.info()) {
            case DebugEventInfo.CreateThreadDebugInfo ct -> saved.saveThread(e.processId(), e.threadId(), ct.thread());
            case DebugEventInfo.CreateProcessDebugInfo cp -> {
                saved.saveProcess(e.processId(), cp.process());
                saved.saveThread(e.processId(), e.threadId(), cp.thread());
            }
            case DebugEventInfo.ExitThreadDebugInfo et -> saved.markThread(e.processId(), e.threadId());
            case DebugEventInfo.ExitProcessDebugInfo ep -> saved.markProcess(e.processId(), e.threadId());
            default -> { }
        }
    }

    /**
     * ContinueDebugEvent: DbgUiContinue; a bad status or an event that is not outstanding fails with
     * ERROR_INVALID_PARAMETER. On success the thread / process handles of a continued EXIT_THREAD / EXIT_PROCESS
     * are closed (hFile handles never are).
     */
    public boolean continueDebugEvent(int processId, int threadId, NtStatus continueStatus) {
        NtStatus status = dbgUi.continueDebugEvent(new ClientId(Integer.toUnsignedLong(processId), Integer.toUnsignedLong(threadId)), continueStatus);
        if (!status.isSuccess()) {
            return fail(status);
        }
        savedHandles().closeMarked(processId, threadId, h -> nt.close(thread, ProcessorMode.USER, h));
        return true;
    }

    /**
     * DebugActiveProcessStop: closes every handle kernel32 saved for the process, then DbgUiStopDebugging. A failure
     * sets the last error mapped from the NTSTATUS (ReactOS always reports ERROR_ACCESS_DENIED; Windows' choice is
     * not documented).
     */
    public boolean debugActiveProcessStop(int processId) {
        UserPointer<Handle> h = UserPointer.of(Handle.NULL);
        NtStatus opened = nt.openProcess(thread, ProcessorMode.USER, h, DEBUG_ATTACH_ACCESS, Integer.toUnsignedLong(processId));
        if (!opened.isSuccess()) {
            return fail(opened);
        }
        savedHandles().closeAllOf(processId, saved -> nt.close(thread, ProcessorMode.USER, saved));
        NtStatus status = dbgUi.stopDebugging(h.get());
        nt.close(thread, ProcessorMode.USER, h.get());
        return status.isSuccess() || fail(status);
    }

    /** DebugSetProcessKillOnExit: needs a connected thread (else ERROR_INVALID_HANDLE). */
    public boolean debugSetProcessKillOnExit(boolean killOnExit) {
        Handle object = dbgUi.getThreadDebugObject();
        if (object.isNull()) {
            setLastError(Win32Error.ERROR_INVALID_HANDLE);
            return false;
        }
        NtStatus status = dbgk.objects().setInformationDebugObject(thread, ProcessorMode.USER, object,
                InformationClass.DebugObjectKillProcessOnExitInformation, UserPointer.of(killOnExit ? 1 : 0), Integer.BYTES, null);
        return status.isSuccess() || fail(status);
    }

    /** DebugBreakProcess: DbgUiIssueRemoteBreakin. */
    public boolean debugBreakProcess(Handle process) {
        NtStatus status = dbgUi.issueRemoteBreakin(process);
        return status.isSuccess() || fail(status);
    }

    /** IsDebuggerPresent: the caller's PEB BeingDebugged byte (a plain memory read). */
    public boolean isDebuggerPresent() {
        Peb peb = thread.process().peb();
        return peb != null && peb.beingDebugged();
    }

    /**
     * CheckRemoteDebuggerPresent: a null process handle or a null output fails with ERROR_INVALID_PARAMETER (output
     * untouched); otherwise ProcessDebugPort decides. The last error is left alone on success.
     *
     * @param present null stands for a NULL pointer
     */
    public boolean checkRemoteDebuggerPresent(Handle process, UserPointer<Boolean> present) {
        if (process == null || process.isNull() || present == null) {
            setLastError(Win32Error.ERROR_INVALID_PARAMETER);
            return false;
        }
        UserPointer<Long> port = UserPointer.of(0L);
        NtStatus status = kernel.processInformation().query(thread, ProcessorMode.USER, process, InformationClass.ProcessDebugPort, port, Long.BYTES, null);
        if (!status.isSuccess()) {
            return fail(status);
        }
        present.set(port.get() != 0);
        return true;
    }

    /**
     * GetFinalPathNameByHandle for a file handle (how a debugger names the image of a CREATE_PROCESS or LOAD_DLL
     * event whose lpImageName is null): the path, or null with ERROR_INVALID_HANDLE.
     */
    public String getFinalPathNameByHandle(Handle file) {
        var entry = nt.lookupHandle(thread, file);
        if (entry != null && !file.isPseudo() && entry.object() instanceof dev.debugport.kernel.io.FileObject f) {
            return f.path();
        }
        setLastError(Win32Error.ERROR_INVALID_HANDLE);
        return null;
    }

    /** CloseHandle. */
    public boolean closeHandle(Handle handle) {
        NtStatus status = nt.close(thread, ProcessorMode.USER, handle);
        return status.isSuccess() || fail(status);
    }

    /** OpenProcess: returns the handle, or Handle.NULL with the last error set. */
    public Handle openProcess(int desiredAccess, int processId) {
        UserPointer<Handle> h = UserPointer.of(Handle.NULL);
        return openedOrNull(nt.openProcess(thread, ProcessorMode.USER, h, desiredAccess, Integer.toUnsignedLong(processId)), h);
    }

    /** OpenThread: returns the handle, or Handle.NULL with the last error set. */
    public Handle openThread(int desiredAccess, int threadId) {
        UserPointer<Handle> h = UserPointer.of(Handle.NULL);
        return openedOrNull(nt.openThread(thread, ProcessorMode.USER, h, desiredAccess, Integer.toUnsignedLong(threadId)), h);
    }

    /** ReadProcessMemory: a partial read fails with ERROR_PARTIAL_COPY, as Windows does. */
    public boolean readProcessMemory(Handle process, long address, byte[] buffer, int length, UserPointer<Long> bytesRead) {
        NtStatus status = nt.readVirtualMemory(thread, ProcessorMode.USER, process, address, buffer, length, bytesRead);
        return status.isSuccess() || fail(status);
    }

    /** WriteProcessMemory. */
    public boolean writeProcessMemory(Handle process, long address, byte[] buffer, int length, UserPointer<Long> bytesWritten) {
        NtStatus status = nt.writeVirtualMemory(thread, ProcessorMode.USER, process, address, buffer, length, bytesWritten);
        return status.isSuccess() || fail(status);
    }

    /** GetThreadContext. */
    public boolean getThreadContext(Handle threadHandle, UserPointer<Amd64Context> context) {
        NtStatus status = nt.getContextThread(thread, ProcessorMode.USER, threadHandle, context);
        return status.isSuccess() || fail(status);
    }

    /** SetThreadContext. */
    public boolean setThreadContext(Handle threadHandle, Amd64Context context) {
        NtStatus status = nt.setContextThread(thread, ProcessorMode.USER, threadHandle, context);
        return status.isSuccess() || fail(status);
    }

    /** SuspendThread: the previous suspend count, or -1 with the last error set. */
    public int suspendThread(Handle threadHandle) {
        UserPointer<Integer> previous = UserPointer.of(0);
        NtStatus status = nt.suspendThread(thread, ProcessorMode.USER, threadHandle, previous);
        if (!status.isSuccess()) {
            fail(status);
            return -1;
        }
        return previous.get();
    }

    /** ResumeThread: the previous suspend count, or -1 with the last error set. */
    public int resumeThread(Handle threadHandle) {
        UserPointer<Integer> previous = UserPointer.of(0);
        NtStatus status = nt.resumeThread(thread, ProcessorMode.USER, threadHandle, previous);
        if (!status.isSuccess()) {
            fail(status);
            return -1;
        }
        return previous.get();
    }

    /** TerminateProcess. */
    public boolean terminateProcess(Handle process, int exitCode) {
        NtStatus status = nt.terminateProcess(thread, ProcessorMode.USER, process, exitCode);
        return status.isSuccess() || fail(status);
    }

    /** GetExitCodeProcess: STILL_ACTIVE (0x103) while the process runs. */
    public boolean getExitCodeProcess(Handle process, UserPointer<Integer> exitCode) {
        NtResult<Integer> r = nt.processExitStatus(thread, ProcessorMode.USER, process);
        if (!r.isSuccess()) {
            return fail(r.status());
        }
        exitCode.set(r.value());
        return true;
    }

    /** WaitForSingleObject: WAIT_OBJECT_0, WAIT_TIMEOUT, or WAIT_FAILED with the last error set. */
    public int waitForSingleObject(Handle handle, int milliseconds) {
        Long timeout = milliseconds == INFINITE ? null : -Integer.toUnsignedLong(milliseconds) * 10_000L;
        NtStatus status = nt.waitForSingleObject(thread, ProcessorMode.USER, handle, false, timeout);
        if (NtStatus.STATUS_SUCCESS.equals(status)) {
            return WAIT_OBJECT_0;
        }
        if (NtStatus.STATUS_TIMEOUT.equals(status)) {
            return WAIT_TIMEOUT;
        }
        fail(status);
        return WAIT_FAILED;
    }
}
