package dev.debugport.dbgk;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ThreadFlags;
import dev.debugport.nt.DbgkmApiMessage;
import dev.debugport.nt.DbgkmApiNumber;
import dev.debugport.nt.NtStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Queueing events on a debug object and waking their senders (spec dbgk.md §7 and §9.5–9.6): DbgkpQueueMessage in
 * its wait and no-wait forms, DbgkpSendApiMessage with the process freeze and the DBG_REPLY_LATER loop,
 * DbgkpWakeTarget and DbgkpFreeDebugEvent.
 */
final class EventQueue {
    /** DbgkpSendApiMessage flag: freeze the rest of the process while the event is out. */
    static final int SEND_FREEZE = 0x1;
    /** DbgkpSendApiMessage flag (Windows 10): mark the event as the system-DLL LOAD_DLL of a new thread (0x40). */
    static final int SEND_SYSTEM_DLL = 0x2;

    private final Dbgk dbgk;
    private final Kernel kernel;

    EventQueue(Dbgk dbgk) {
        this.dbgk = dbgk;
        this.kernel = dbgk.kernel();
    }

    /**
     * Implements DbgkpSendApiMessage (Windows 10 form): freezes the process if asked and {@code process} is the
     * sender's own, queues a wait-type event, thaws once it is continued, and re-queues an identical event at the
     * tail as long as the debugger answers DBG_REPLY_LATER (after the thread may run again, so a thread the debugger
     * suspended is not re-reported until resumed).
     */
    CompletionStage<SendResult> sendApiMessage(EProcess process, EThread thread, DbgkmApiMessage message, int sendFlags) {
        Executor onThread = kernel.platform().continuationExecutor(thread);
        boolean freeze = (sendFlags & SEND_FREEZE) != 0 && process == thread.process();
        if (freeze) {
            kernel.processes().freezeProcess(process);
        }
        DbgkmApiMessage pending = message.withReturnedStatus(NtStatus.STATUS_PENDING);
        int eventFlags = (sendFlags & SEND_SYSTEM_DLL) != 0 ? DebugEventFlags.SYSTEM_DLL : 0;
        return queueWaitMessage(process, thread, pending, eventFlags).thenComposeAsync(result -> {
            if (freeze) {
                kernel.processes().thawProcess(process);
            }
            if (result.status().isSuccess() && NtStatus.DBG_REPLY_LATER.equals(result.message().returnedStatus())) {
                // The loop sends the message as it came back (a file handle the debugger took stays with it), once
                // the thread may run again. A thread asked to terminate meanwhile leaves instead (its termination APC
                // runs between two sends), unless it is already exiting and this is its exit report.
                return thread.runState().whenRunnable().thenComposeAsync(v -> terminationCutsLoop(thread, message)
                        ? CompletableFuture.completedFuture(result)
                        : sendApiMessage(process, thread, result.message(), sendFlags), onThread);
            }
            return CompletableFuture.completedFuture(result);
        }, onThread);
    }

    private static boolean terminationCutsLoop(EThread thread, DbgkmApiMessage message) {
        boolean exitReport = message.apiNumber() == DbgkmApiNumber.EXIT_THREAD || message.apiNumber() == DbgkmApiNumber.EXIT_PROCESS;
        return !exitReport && thread.waiter().terminating();
    }

    /**
     * Implements DbgkpQueueMessage for a live (wait-type) event: under the port mutex reads the process's debug
     * port, drops suppressed messages, and appends the event (setting EventsPresent). The returned stage completes
     * when the event is woken (continued, detached or closed), or at once with the queue failure.
     */
    CompletionStage<SendResult> queueWaitMessage(EProcess process, EThread thread, DbgkmApiMessage message, int eventFlags) {
        DebugEvent event = new DebugEvent(eventFlags, process, thread, message, null);
        NtStatus status;
        dbgk.portMutex.lock();
        try {
            DebugObject target = isSuppressed(thread, message.apiNumber(), eventFlags) ? null : (DebugObject) process.debugPort();
            status = target == null ? NtStatus.STATUS_PORT_NOT_SET : insert(target, event, true);
        } finally {
            dbgk.portMutex.unlock();
        }
        if (!status.isSuccess()) {
            return CompletableFuture.completedFuture(new SendResult(status, message));
        }
        return event.continueEvent.thenApply(v -> new SendResult(event.status, event.apiMsg));
    }

    /**
     * Implements DbgkpQueueMessage for an attach-time fake (DEBUG_EVENT_NOWAIT): queued INACTIVE on the given object
     * with the attaching thread as its backout thread; the caller does not wait.
     */
    NtStatus queueNoWaitMessage(EProcess process, EThread thread, DbgkmApiMessage message, int eventFlags, DebugObject target, EThread attacher) {
        DebugEvent event = new DebugEvent(eventFlags | DebugEventFlags.NOWAIT | DebugEventFlags.INACTIVE, process, thread, message, attacher);
        return insert(target, event, false);
    }

    private static NtStatus insert(DebugObject target, DebugEvent event, boolean signal) {
        target.mutex.lock();
        try {
            if (target.deletePending()) {
                return NtStatus.STATUS_DEBUGGER_INACTIVE;
            }
            target.events.add(event);
            if (signal) {
                target.eventsPresent.set();
            }
            return NtStatus.STATUS_SUCCESS;
        } finally {
            target.mutex.unlock();
        }
    }

    /** The suppression rules of DbgkpQueueMessage, read from the reporting thread's flags. */
    private static boolean isSuppressed(EThread thread, DbgkmApiNumber api, int eventFlags) {
        return switch (api) {
            case CREATE_THREAD, CREATE_PROCESS -> thread.hasCrossThreadFlag(ThreadFlags.SKIP_CREATION_MSG);
            case LOAD_DLL -> (eventFlags & DebugEventFlags.SYSTEM_DLL) != 0 && thread.hasCrossThreadFlag(ThreadFlags.SKIP_CREATION_MSG);
            case EXIT_THREAD, EXIT_PROCESS -> thread.hasCrossThreadFlag(ThreadFlags.SKIP_TERMINATION_MSG);
            default -> false;
        };
    }

    /**
     * Implements DbgkpWakeTarget: resumes the thread if the event suspended it, releases its rundown if the event
     * held it, and frees a no-wait event or signals a live sender. Never called with a lock held.
     */
    void wakeTarget(DebugEvent event) {
        if (event.has(DebugEventFlags.SUSPEND)) {
            kernel.processes().resumeThread(event.thread);
        }
        if (event.has(DebugEventFlags.RELEASE)) {
            event.thread.rundown().release();
        }
        if (event.has(DebugEventFlags.NOWAIT)) {
            freeEvent(event);
        } else {
            event.continueEvent.complete(null);
        }
    }

    /** Implements DbgkpFreeDebugEvent: closes a kernel file handle still held by a CREATE_PROCESS / LOAD_DLL. */
    void freeEvent(DebugEvent event) {
        dbgk.imageFiles.closeKernelHandle(event.apiMsg.payload().fileHandle());
    }
}
