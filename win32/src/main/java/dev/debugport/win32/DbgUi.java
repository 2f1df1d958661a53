package dev.debugport.win32;

import dev.debugport.dbgk.Dbgk;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.ClientId;
import dev.debugport.nt.DbgState;
import dev.debugport.nt.DbgkmCreateProcess;
import dev.debugport.nt.DbgkmException;
import dev.debugport.nt.DbgkmExitProcess;
import dev.debugport.nt.DbgkmExitThread;
import dev.debugport.nt.DbgkmLoadDll;
import dev.debugport.nt.DbgkmUnloadDll;
import dev.debugport.nt.DbguiWaitStateChange;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.DebugObjectFlags;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.Handle;
import dev.debugport.nt.InformationClass;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.WaitStateInfo;
import java.util.Optional;

/**
 * ntdll's DbgUi layer for one calling thread (spec dbgk.md §11): every call uses the debug object handle kept in
 * the thread's TEB (DbgSsReserved[1]), so a debugger waits and continues from the thread that connected.
 */
public final class DbgUi {
    private final Dbgk dbgk;
    private final Kernel kernel;
    private final EThread thread;

    public DbgUi(Dbgk dbgk, EThread thread) {
        this.dbgk = dbgk;
        this.kernel = dbgk.kernel();
        this.thread = thread;
    }

    public EThread thread() {
        return thread;
    }

    /**
     * Implements DbgUiConnectToDbg: if the thread has no debug object yet, creates one with DEBUG_OBJECT_ALL_ACCESS
     * and DEBUG_KILL_ON_CLOSE (why Win32 debuggers kill their debuggees by default) into the TEB slot.
     */
    public NtStatus connectToDbg() {
        if (!thread.teb().debugObjectHandle().isNull()) {
            return NtStatus.STATUS_SUCCESS;
        }
        UserPointer<Handle> slot = UserPointer.of(Handle.NULL);
        NtStatus status = dbgk.objects().createDebugObject(thread, ProcessorMode.USER, slot, AccessMask.DEBUG_OBJECT_ALL_ACCESS,
                null, DebugObjectFlags.DEBUG_KILL_ON_CLOSE);
        thread.teb().setDebugObjectHandle(slot.get());
        return status;
    }

    /** Implements DbgUiGetThreadDebugObject. */
    public Handle getThreadDebugObject() {
        return thread.teb().debugObjectHandle();
    }

    /** Implements DbgUiSetThreadDebugObject (no validation, no close). */
    public void setThreadDebugObject(Handle handle) {
        thread.teb().setDebugObjectHandle(handle);
    }

    /** Implements DbgUiWaitStateChange: an alertable NtWaitForDebugEvent on the thread's object. */
    public NtStatus waitStateChange(UserPointer<DbguiWaitStateChange> stateChange, Long timeout) {
        return dbgk.waits().waitForDebugEvent(thread, ProcessorMode.USER, getThreadDebugObject(), true, timeout, stateChange);
    }

    /** Implements DbgUiContinue. */
    public NtStatus continueDebugEvent(ClientId clientId, NtStatus continueStatus) {
        return dbgk.waits().debugContinue(thread, ProcessorMode.USER, getThreadDebugObject(), clientId, continueStatus);
    }

    /** Implements DbgUiStopDebugging. */
    public NtStatus stopDebugging(Handle process) {
        return dbgk.detach().removeProcessDebug(thread, ProcessorMode.USER, process, getThreadDebugObject());
    }

    /**
     * Implements DbgUiDebugActiveProcess: attach, then break in; if the break-in fails, detach again and return the
     * break-in's failure.
     */
    public NtStatus debugActiveProcess(Handle process) {
        NtStatus status = dbgk.attach().debugActiveProcess(thread, ProcessorMode.USER, process, getThreadDebugObject());
        if (!status.isSuccess()) {
            return status;
        }
        NtStatus breakin = issueRemoteBreakin(process);
        if (!breakin.isSuccess()) {
            stopDebugging(process);
            return breakin;
        }
        return NtStatus.STATUS_SUCCESS;
    }

    /**
     * Implements DbgUiIssueRemoteBreakin: creates a thread in the target at ntdll!DbgUiRemoteBreakin (not hidden
     * from the debugger, so it is reported) and closes its handle.
     */
    public NtStatus issueRemoteBreakin(Handle process) {
        NtResult<EProcess> ref = kernel.objectManager().referenceByHandle(kernel.caller(thread, ProcessorMode.USER), process,
                AccessMask.PROCESS_CREATE_THREAD, EProcess.TYPE, EProcess.class);
        if (!ref.isSuccess()) {
            return ref.status();
        }
        try {
            long routine = kernel.platform().systemRoutineAddress(ref.value(), "DbgUiRemoteBreakin");
            if (routine == 0) {
                // No routine to start a thread at (a real Linux process): the platform breaks in itself.
                return kernel.platform().breakIn(ref.value());
            }
            return kernel.processes().createThread(ref.value(), routine, null, false, false).status();
        } finally {
            ref.value().dereference();
        }
    }

    /** Implements DbgUiConvertStateChangeStructure (wide debug strings reported as their ANSI copy). */
    public NtStatus convertStateChangeStructure(DbguiWaitStateChange stateChange, UserPointer<DebugEvent> debugEvent) {
        return convert(stateChange, debugEvent, false);
    }

    /** Implements DbgUiConvertStateChangeStructureEx (wide debug strings reported as Unicode). */
    public NtStatus convertStateChangeStructureEx(DbguiWaitStateChange stateChange, UserPointer<DebugEvent> debugEvent) {
        return convert(stateChange, debugEvent, true);
    }

    private NtStatus convert(DbguiWaitStateChange sc, UserPointer<DebugEvent> out, boolean wide) {
        Optional<DbgState> state = sc.state();
        int pid = (int) sc.appClientId().uniqueProcess();
        int tid = (int) sc.appClientId().uniqueThread();
        DebugEventInfo info = state.map(s -> convertInfo(s, sc.info(), wide)).orElse(null);
        if (info == null) {
            return NtStatus.STATUS_UNSUCCESSFUL;
        }
        out.set(DebugEvent.of(pid, tid, info));
        return NtStatus.STATUS_SUCCESS;
    }

    private DebugEventInfo convertInfo(DbgState state, WaitStateInfo info, boolean wide) {
        return switch (state) {
            case CREATE_THREAD -> {
                WaitStateInfo.CreateThread ct = (WaitStateInfo.CreateThread) info;
                yield new DebugEventInfo.CreateThreadDebugInfo(ct.handleToThread(), threadLocalBase(ct.handleToThread()), ct.newThread().startAddress());
            }
            case CREATE_PROCESS -> {
                WaitStateInfo.CreateProcess cp = (WaitStateInfo.CreateProcess) info;
                DbgkmCreateProcess p = cp.newProcess();
                yield new DebugEventInfo.CreateProcessDebugInfo(p.fileHandle(), cp.handleToProcess(), cp.handleToThread(), p.baseOfImage(),
                        p.debugInfoFileOffset(), p.debugInfoSize(), threadLocalBase(cp.handleToThread()), p.initialThread().startAddress(), 0, true);
            }
            case EXIT_THREAD -> new DebugEventInfo.ExitThreadDebugInfo(((DbgkmExitThread) payload(info)).exitStatus());
            case EXIT_PROCESS -> new DebugEventInfo.ExitProcessDebugInfo(((DbgkmExitProcess) payload(info)).exitStatus());
            case EXCEPTION, BREAKPOINT, SINGLE_STEP -> convertException((DbgkmException) payload(info), wide);
            case LOAD_DLL -> {
                DbgkmLoadDll ld = (DbgkmLoadDll) payload(info);
                yield new DebugEventInfo.LoadDllDebugInfo(ld.fileHandle(), ld.baseOfDll(), ld.debugInfoFileOffset(), ld.debugInfoSize(), ld.namePointer(), true);
            }
            case UNLOAD_DLL -> new DebugEventInfo.UnloadDllDebugInfo(((DbgkmUnloadDll) payload(info)).baseAddress());
            case IDLE, REPLY_PENDING -> null;
        };
    }

    private static Object payload(WaitStateInfo info) {
        return ((WaitStateInfo.Message) info).payload();
    }

    /**
     * The exception part of the conversion (spec §11.1): debug-print exceptions become OUTPUT_DEBUG_STRING,
     * DBG_RIPEXCEPTION becomes RIP, everything else is an EXCEPTION_DEBUG_EVENT.
     */
    private static DebugEventInfo convertException(DbgkmException ex, boolean wide) {
        ExceptionRecord r = ex.exceptionRecord();
        int code = r.code();
        if (code == NtStatus.DBG_PRINTEXCEPTION_C.value()) {
            return new DebugEventInfo.OutputDebugStringInfo(r.info(1), false, (int) (r.info(0) & 0xFFFF));
        }
        if (code == NtStatus.DBG_PRINTEXCEPTION_WIDE_C.value()) {
            return wide
                    ? new DebugEventInfo.OutputDebugStringInfo(r.info(1), true, (int) (2 * (r.info(0) & 0xFFFF)))
                    : new DebugEventInfo.OutputDebugStringInfo(r.info(3), false, (int) (r.info(2) & 0xFFFF));
        }
        if (code == NtStatus.DBG_RIPEXCEPTION.value()) {
            return new DebugEventInfo.RipInfo((int) r.info(0), (int) r.info(1));
        }
        return new DebugEventInfo.ExceptionDebugInfo(r, ex.firstChance());
    }

    /** The TEB address of a thread from a ThreadBasicInformation query on its handle (0 on failure). */
    private long threadLocalBase(Handle hThread) {
        UserPointer<Long> base = UserPointer.of(0L);
        NtStatus s = kernel.processInformation().queryThread(thread, ProcessorMode.USER, hThread, InformationClass.ThreadBasicInformation,
                base, 0x30, null);
        return s.isSuccess() ? base.get() : 0;
    }
}
