package dev.debugport.dbgk;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ke.Dispatcher;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.ClientId;
import dev.debugport.nt.DbgState;
import dev.debugport.nt.DbgkmCreateProcess;
import dev.debugport.nt.DbgkmCreateThread;
import dev.debugport.nt.DbgkmException;
import dev.debugport.nt.DbgkmLoadDll;
import dev.debugport.nt.DbgkmPayload;
import dev.debugport.nt.DbguiWaitStateChange;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.WaitStateInfo;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * The debugger's side of the event list (spec dbgk.md §9): NtWaitForDebugEvent with the one-event-per-process rule,
 * DbgkpConvertKernelToUserStateChange, DbgkpOpenHandles and NtDebugContinue.
 */
public final class WaitService {
    private final Dbgk dbgk;
    private final Kernel kernel;

    /** How long NtWaitForDebugEvent looks for an event before it blocks ({@link #spinBeforeBlocking}). */
    private static final long SPIN_NANOS = 200_000;

    WaitService(Dbgk dbgk) {
        this.dbgk = dbgk;
        this.kernel = dbgk.kernel();
    }

    /**
     * Implements NtWaitForDebugEvent (spec §9.1): waits on EventsPresent (alertable as asked; a relative timeout
     * counts down across spurious wake-ups), hands out the first deliverable event (§4.3), opens the debugger's
     * handles for it, and writes the state change. Returns STATUS_SUCCESS, STATUS_TIMEOUT, STATUS_ALERTED,
     * STATUS_USER_APC (output zeroed), STATUS_DEBUGGER_INACTIVE, or a probe or handle error (output untouched).
     *
     * @param timeout null for no timeout, else NT 100 ns units (negative: relative)
     */
    public NtStatus waitForDebugEvent(EThread caller, ProcessorMode mode, Handle handle, boolean alertable, Long timeout,
                                      UserPointer<DbguiWaitStateChange> stateChange) {
        if (mode == ProcessorMode.USER) {
            NtStatus probe = stateChange.probe();
            if (!probe.isSuccess()) {
                return probe;
            }
        }
        long start = System.nanoTime();
        NtResult<DebugObject> ref = dbgk.objects().referenceObject(caller, mode, handle, AccessMask.DEBUG_OBJECT_WAIT_STATE_CHANGE);
        if (!ref.isSuccess()) {
            return ref.status();
        }
        DebugObject object = ref.value();
        DbguiWaitStateChange result = DbguiWaitStateChange.ZERO;
        NtStatus status;
        try {
            while (true) {
                Long remaining = remainingTimeout(timeout, start);
                spinBeforeBlocking(object, remaining);
                status = Dispatcher.waitForSingle(caller.waiter(), object.eventsPresent, alertable, remaining);
                if (!NtStatus.STATUS_SUCCESS.equals(status)) {
                    break;
                }
                DebugEvent event = null;
                object.mutex.lock();
                try {
                    if (object.deletePending()) {
                        status = NtStatus.STATUS_DEBUGGER_INACTIVE;
                    } else {
                        event = pickDeliverable(object);
                        if (event == null) {
                            object.eventsPresent.clear();
                        } else {
                            result = convertKernelToUserStateChange(event);
                            event.flags |= DebugEventFlags.READ;
                        }
                    }
                } finally {
                    object.mutex.unlock();
                }
                if (!status.isSuccess()) {
                    break;
                }
                if (event != null) {
                    result = openHandles(result, event.process, event.thread, caller.process());
                    break;
                }
            }
        } finally {
            object.dereference();
        }
        stateChange.set(NtStatus.STATUS_SUCCESS.equals(status) ? result : DbguiWaitStateChange.ZERO);
        return status;
    }

    /** The relative timeout left from {@code timeout} after the time since {@code startNanos} (0 when used up). */
    private static Long remainingTimeout(Long timeout, long startNanos) {
        if (timeout == null || timeout > 0) {
            return timeout;
        }
        long elapsed100ns = (System.nanoTime() - startNanos) / 100;
        return Math.min(0L, timeout + elapsed100ns);
    }

    /**
     * The delivery rule (spec §4.3): the first event that is neither READ nor INACTIVE and has no earlier entry of
     * the same process; every candidate passed over for that reason becomes INACTIVE. Called under the object mutex.
     */
    private static DebugEvent pickDeliverable(DebugObject object) {
        Set<Long> processesSeen = new HashSet<>();
        for (DebugEvent e : object.events) {
            boolean candidate = !e.has(DebugEventFlags.READ) && !e.has(DebugEventFlags.INACTIVE);
            if (!processesSeen.add(e.clientId.uniqueProcess())) {
                if (candidate) {
                    e.flags |= DebugEventFlags.INACTIVE;
                    e.backoutThread = null;
                }
            } else if (candidate) {
                return e;
            }
        }
        return null;
    }

    /**
     * Looks at EventsPresent, without the dispatcher lock, for up to {@link #SPIN_NANOS} before a wait that may block
     * (no timeout, or a longer one). A debugger's loop continues an event and waits for the next at once, and the next
     * usually comes within tens of microseconds: found while spinning, it costs no sleep and no wake-up of this thread
     * (a wake-up across cores costs ~25 us on the 2-vCPU machines measured in BENCHMARKS.md). The wait that follows
     * is the real one; this changes only when the caller sleeps, never what it returns.
     */
    private static void spinBeforeBlocking(DebugObject object, Long remaining) {
        if (remaining != null && -remaining * 100 <= SPIN_NANOS) {
            return;
        }
        long deadline = System.nanoTime() + SPIN_NANOS;
        while (!object.eventsPresent.signaledHint() && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }

    /**
     * Implements DbgkpConvertKernelToUserStateChange: the state for the message kind (a breakpoint or single-step
     * exception gets its own state) and the payload; the image file handle moves out of the queued event.
     */
    private static DbguiWaitStateChange convertKernelToUserStateChange(DebugEvent event) {
        DbgkmPayload payload = event.apiMsg.payload();
        ClientId cid = event.clientId;
        return switch (payload) {
            case DbgkmException ex -> new DbguiWaitStateChange(exceptionState(ex).value(), cid, new WaitStateInfo.Message(ex));
            case DbgkmCreateThread ct -> new DbguiWaitStateChange(DbgState.CREATE_THREAD.value(), cid, new WaitStateInfo.CreateThread(Handle.NULL, ct));
            case DbgkmCreateProcess cp -> {
                event.apiMsg = event.apiMsg.withPayload(cp.withFileHandle(Handle.NULL));
                yield new DbguiWaitStateChange(DbgState.CREATE_PROCESS.value(), cid, new WaitStateInfo.CreateProcess(Handle.NULL, Handle.NULL, cp));
            }
            case DbgkmLoadDll ld -> {
                event.apiMsg = event.apiMsg.withPayload(ld.withFileHandle(Handle.NULL));
                yield new DbguiWaitStateChange(DbgState.LOAD_DLL.value(), cid, new WaitStateInfo.Message(ld));
            }
            default -> new DbguiWaitStateChange(stateOf(payload).value(), cid, new WaitStateInfo.Message(payload));
        };
    }

    private static DbgState exceptionState(DbgkmException ex) {
        int code = ex.exceptionRecord().code();
        if (code == NtStatus.STATUS_BREAKPOINT.value()) {
            return DbgState.BREAKPOINT;
        }
        return code == NtStatus.STATUS_SINGLE_STEP.value() ? DbgState.SINGLE_STEP : DbgState.EXCEPTION;
    }

    private static DbgState stateOf(DbgkmPayload payload) {
        return switch (payload.apiNumber()) {
            case EXIT_THREAD -> DbgState.EXIT_THREAD;
            case EXIT_PROCESS -> DbgState.EXIT_PROCESS;
            case UNLOAD_DLL -> DbgState.UNLOAD_DLL;
            default -> DbgState.IDLE;
        };
    }

    /**
     * Implements DbgkpOpenHandles, in the debugger's process with no access check: thread (0x12007B) and process
     * (0x12067B) handles for CREATE_THREAD / CREATE_PROCESS, and the image file handle moved from the kernel table
     * into the debugger's.
     */
    private DbguiWaitStateChange openHandles(DbguiWaitStateChange change, EProcess process, EThread thread, EProcess debugger) {
        return switch (change.info()) {
            case WaitStateInfo.CreateThread ct -> new DbguiWaitStateChange(change.newState(), change.appClientId(),
                    new WaitStateInfo.CreateThread(openThread(thread, debugger), ct.newThread()));
            case WaitStateInfo.CreateProcess cp -> {
                Handle hThread = openThread(thread, debugger);
                Handle hProcess = kernel.objectManager().openByPointer(debugger.handleTable(), process, AccessMask.DEBUGGER_PROCESS_ACCESS);
                Handle hFile = dbgk.imageFiles.moveToProcess(cp.newProcess().fileHandle(), debugger);
                yield new DbguiWaitStateChange(change.newState(), change.appClientId(),
                        new WaitStateInfo.CreateProcess(hProcess, hThread, cp.newProcess().withFileHandle(hFile)));
            }
            case WaitStateInfo.Message m when m.payload() instanceof DbgkmLoadDll ld -> new DbguiWaitStateChange(change.newState(),
                    change.appClientId(), new WaitStateInfo.Message(ld.withFileHandle(dbgk.imageFiles.moveToProcess(ld.fileHandle(), debugger))));
            default -> change;
        };
    }

    private Handle openThread(EThread thread, EProcess debugger) {
        return kernel.objectManager().openByPointer(debugger.handleTable(), thread, AccessMask.DEBUGGER_THREAD_ACCESS);
    }

    /**
     * Implements NtDebugContinue (spec §9.4): validates the continue status before anything else, then under the
     * object mutex unlinks the READ event of (pid, tid) and activates the next event of that process; wakes the
     * sender with the continue status as its ReturnedStatus.
     *
     * @param clientId the captured CLIENT_ID, or null for an invalid pointer (STATUS_ACCESS_VIOLATION)
     */
    public NtStatus debugContinue(EThread caller, ProcessorMode mode, Handle handle, ClientId clientId, NtStatus continueStatus) {
        if (clientId == null) {
            return NtStatus.STATUS_ACCESS_VIOLATION;
        }
        if (!isAcceptedContinueStatus(continueStatus)) {
            return NtStatus.STATUS_INVALID_PARAMETER;
        }
        NtResult<DebugObject> ref = dbgk.objects().referenceObject(caller, mode, handle, AccessMask.DEBUG_OBJECT_WAIT_STATE_CHANGE);
        if (!ref.isSuccess()) {
            return ref.status();
        }
        DebugObject object = ref.value();
        DebugEvent found = null;
        object.mutex.lock();
        try {
            for (Iterator<DebugEvent> it = object.events.iterator(); it.hasNext(); ) {
                DebugEvent e = it.next();
                if (e.clientId.uniqueProcess() != clientId.uniqueProcess()) {
                    continue;
                }
                if (found != null) {
                    e.flags &= ~DebugEventFlags.INACTIVE;
                    object.eventsPresent.set();
                    break;
                }
                if (e.clientId.uniqueThread() == clientId.uniqueThread() && e.has(DebugEventFlags.READ)) {
                    it.remove();
                    found = e;
                }
            }
        } finally {
            object.mutex.unlock();
            object.dereference();
        }
        if (found == null) {
            return NtStatus.STATUS_INVALID_PARAMETER;
        }
        found.apiMsg = found.apiMsg.withReturnedStatus(continueStatus);
        found.status = NtStatus.STATUS_SUCCESS;
        dbgk.queue.wakeTarget(found);
        return NtStatus.STATUS_SUCCESS;
    }

    /** The continue statuses NtDebugContinue accepts on Windows 10 and later (DBG_REPLY_LATER included). */
    static boolean isAcceptedContinueStatus(NtStatus status) {
        return NtStatus.DBG_CONTINUE.equals(status) || NtStatus.DBG_EXCEPTION_HANDLED.equals(status)
                || NtStatus.DBG_EXCEPTION_NOT_HANDLED.equals(status) || NtStatus.DBG_TERMINATE_THREAD.equals(status)
                || NtStatus.DBG_TERMINATE_PROCESS.equals(status) || NtStatus.DBG_REPLY_LATER.equals(status);
    }
}
