package dev.debugport.dbgk;

import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.ClientId;
import dev.debugport.nt.DbgkmApiMessage;
import dev.debugport.nt.NtStatus;
import java.util.concurrent.CompletableFuture;

/**
 * DEBUG_EVENT, the kernel's record of one notification (spec dbgk.md §2): its flags, the reporting thread's client
 * id, the process and thread, the status the sender gets back, the thread that queued an attach-time fake
 * (backoutThread), the API message, and the ContinueEvent a live sender waits on (a completion here).
 * Fields other than the completion are guarded by the owning debug object's mutex while the event is queued.
 */
final class DebugEvent {
    int flags;
    final ClientId clientId;
    final EProcess process;
    final EThread thread;
    NtStatus status = NtStatus.STATUS_PENDING;
    EThread backoutThread;
    DbgkmApiMessage apiMsg;
    /** Set by DbgkpWakeTarget for a wait-type event; the sender continues when it completes. */
    final CompletableFuture<Void> continueEvent = new CompletableFuture<>();

    DebugEvent(int flags, EProcess process, EThread thread, DbgkmApiMessage apiMsg, EThread backoutThread) {
        this.flags = flags;
        this.process = process;
        this.thread = thread;
        this.clientId = thread.clientId();
        this.apiMsg = apiMsg;
        this.backoutThread = backoutThread;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    @Override
    public String toString() {
        return apiMsg.apiNumber() + " " + clientId + " flags=0x" + Integer.toHexString(flags);
    }
}
