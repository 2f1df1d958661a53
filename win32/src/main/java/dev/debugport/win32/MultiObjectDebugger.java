package dev.debugport.win32;

import dev.debugport.dbgk.Dbgk;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ke.Dispatcher;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessManager;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.ClientId;
import dev.debugport.nt.DbguiWaitStateChange;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugObjectFlags;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One debugger thread serving many processes over several debug objects at once — what seed 002 calls the design's
 * innovation: the debug object, not the debugger thread, holds the debuggees, so a thread can own any number of
 * objects and wait on all of them (each object handle is waitable through its EventsPresent event).
 *
 * <p>Built on the native services only (NtCreateDebugObject, NtDebugActiveProcess, NtWaitForMultipleObjects,
 * NtWaitForDebugEvent, NtDebugContinue), as debuggers that bypass kernel32 do.
 */
public final class MultiObjectDebugger {
    /** An event and the debug object it came from (continue it through that object). */
    public record Delivered(Handle debugObject, DebugEvent event) {
    }

    private final Dbgk dbgk;
    private final Kernel kernel;
    private final EThread thread;
    private final DbgUi converter;
    private final List<Handle> objects = new ArrayList<>();
    private final Map<Integer, Handle> objectOfProcess = new ConcurrentHashMap<>();

    public MultiObjectDebugger(Dbgk dbgk, EThread thread) {
        this.dbgk = dbgk;
        this.kernel = dbgk.kernel();
        this.thread = thread;
        this.converter = new DbgUi(dbgk, thread);
    }

    /** NtCreateDebugObject with full access; the new object joins the set this thread waits on. */
    public NtResult<Handle> createDebugObject(boolean killOnClose) {
        UserPointer<Handle> h = UserPointer.of(Handle.NULL);
        NtStatus s = dbgk.objects().createDebugObject(thread, ProcessorMode.USER, h, AccessMask.DEBUG_OBJECT_ALL_ACCESS, null,
                killOnClose ? DebugObjectFlags.DEBUG_KILL_ON_CLOSE : 0);
        if (!s.isSuccess()) {
            return NtResult.fail(s);
        }
        synchronized (objects) {
            objects.add(h.get());
        }
        return NtResult.ok(h.get());
    }

    /** NtDebugActiveProcess of {@code processHandle} onto one of this debugger's objects (no break-in thread). */
    public NtStatus attach(Handle debugObject, Handle processHandle) {
        return dbgk.attach().debugActiveProcess(thread, ProcessorMode.USER, processHandle, debugObject);
    }

    /** Creates a process debugged through {@code debugObject} (as CreateProcess with DEBUG_PROCESS would). */
    public NtResult<ProcessManager.CreatedProcess> createProcess(Handle debugObject, Object program, boolean debugOnlyThisProcess) {
        ProcessManager.CreateProcessRequest request = new ProcessManager.CreateProcessRequest(program, kernel.platform().traitsOf(program),
                debugObject, debugOnlyThisProcess, false);
        return kernel.processes().createProcess(thread, request);
    }

    /**
     * Waits until any of the objects has an event and takes it (NtWaitForMultipleObjects, then NtWaitForDebugEvent
     * with a zero timeout on the signalled object, trying again if another waiter took the event first).
     *
     * @return the event, or a failure status (STATUS_TIMEOUT when nothing arrived in time)
     */
    public NtResult<Delivered> waitForDebugEvent(long milliseconds) {
        long deadline = System.nanoTime() + milliseconds * 1_000_000L;
        while (true) {
            List<Handle> snapshot;
            synchronized (objects) {
                snapshot = List.copyOf(objects);
            }
            long left = Math.max(0, deadline - System.nanoTime());
            Dispatcher.WaitOutcome woke = kernel.services().waitForMultipleObjects(thread, ProcessorMode.USER, snapshot, false, -(left / 100));
            if (!NtStatus.STATUS_SUCCESS.equals(woke.status())) {
                return NtResult.fail(woke.status());
            }
            Handle object = snapshot.get(woke.index());
            UserPointer<DbguiWaitStateChange> sc = UserPointer.of(DbguiWaitStateChange.ZERO);
            NtStatus s = dbgk.waits().waitForDebugEvent(thread, ProcessorMode.USER, object, false, 0L, sc);
            if (NtStatus.STATUS_TIMEOUT.equals(s)) {
                continue;
            }
            if (!s.isSuccess()) {
                return NtResult.fail(s);
            }
            UserPointer<DebugEvent> event = UserPointer.empty();
            NtStatus converted = converter.convertStateChangeStructureEx(sc.get(), event);
            if (!converted.isSuccess()) {
                return NtResult.fail(converted);
            }
            objectOfProcess.put(event.get().processId(), object);
            return NtResult.ok(new Delivered(object, event.get()));
        }
    }

    /** NtDebugContinue through the object the process's event came from. */
    public NtStatus continueDebugEvent(int processId, int threadId, NtStatus continueStatus) {
        Handle object = objectOfProcess.get(processId);
        if (object == null) {
            return NtStatus.STATUS_INVALID_PARAMETER;
        }
        return dbgk.waits().debugContinue(thread, ProcessorMode.USER, object,
                new ClientId(Integer.toUnsignedLong(processId), Integer.toUnsignedLong(threadId)), continueStatus);
    }

    /** Closes one of the objects (the last handle: its debuggees are detached, or killed under kill-on-close). */
    public NtStatus closeDebugObject(Handle debugObject) {
        synchronized (objects) {
            objects.remove(debugObject);
        }
        objectOfProcess.values().removeIf(debugObject::equals);
        return kernel.services().close(thread, ProcessorMode.USER, debugObject);
    }
}
