package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.debugport.dbgk.DebugObject;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ob.HandleEntry;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.ClientId;
import dev.debugport.nt.DbguiWaitStateChange;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.SimProgram;
import dev.debugport.sim.SimThreadState;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Helpers shared by the delivery, wait and continue conformance tests (spec dbgk.md §15 items 38–67, Part 2
 * scenarios 32–54): NT-level waits, the debug object behind a handle, thread-state waits, and a debuggee whose
 * worker threads idle until the test terminates them one by one (so their EXIT_THREAD events are queued in an
 * order the test chooses, several at once, even while the process is frozen for an earlier event).
 */
final class DeliverySupport {
    private DeliverySupport() {
    }

    /** The result of one NtWaitForDebugEvent. */
    record NtWait(NtStatus status, DbguiWaitStateChange change, UserPointer<DbguiWaitStateChange> output) {
    }

    /** NtWaitForDebugEvent from {@code caller} in user mode; the output starts as a non-zero sentinel. */
    static NtWait ntWait(SimDebugFixture f, EThread caller, Handle object, boolean alertable, Long timeout) {
        UserPointer<DbguiWaitStateChange> out = UserPointer.of(sentinel());
        NtStatus status = f.dbgk.waits().waitForDebugEvent(caller, ProcessorMode.USER, object, alertable, timeout, out);
        return new NtWait(status, out.get(), out);
    }

    /** A state change no wait would produce, to see whether a failed wait wrote its output. */
    static DbguiWaitStateChange sentinel() {
        return new DbguiWaitStateChange(0x7777, new ClientId(0x1234, 0x5678), dev.debugport.nt.WaitStateInfo.NONE);
    }

    /** NtDebugContinue from the fixture's debugger thread through the given handle. */
    static NtStatus ntContinue(SimDebugFixture f, Handle object, long pid, long tid, NtStatus status) {
        return f.dbgk.waits().debugContinue(f.debuggerThread, ProcessorMode.USER, object, new ClientId(pid, tid), status);
    }

    /** Relative NT timeout (100 ns units) for {@code millis}. */
    static long relative(long millis) {
        return -millis * 10_000L;
    }

    /** The debug object a handle in the debugger's table refers to. */
    static DebugObject debugObject(SimDebugFixture f, Handle h) {
        HandleEntry entry = f.debuggerProcess.handleTable().lookup(h);
        assertNotNull(entry, () -> h + " is not open in the debugger");
        return (DebugObject) entry.object();
    }

    /** The access a handle in the debugger's table was granted. */
    static int grantedAccess(SimDebugFixture f, Handle h) {
        HandleEntry entry = f.debuggerProcess.handleTable().lookup(h);
        assertNotNull(entry, () -> h + " is not open in the debugger");
        return entry.grantedAccess();
    }

    /** The thread object behind a tid. */
    static EThread thread(SimDebugFixture f, int tid) {
        EThread t = f.kernel.clientIds().thread(Integer.toUnsignedLong(tid));
        assertNotNull(t, () -> "no thread " + tid);
        return t;
    }

    /** Waits until a guest thread is in {@code state}; fails the test on timeout. */
    static void awaitState(SimDebugFixture f, EThread t, SimThreadState state) {
        assertTrue(f.machine.awaitThreadState(t, state, SimDebugFixture.TIMEOUT),
                () -> t + " did not reach " + state + " (is " + f.machine.threadState(t) + ")");
    }

    /** Waits (polling every millisecond) until {@code condition} holds; fails the test on timeout. */
    static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + SimDebugFixture.TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }

    /** The exception record of an EXCEPTION_DEBUG_EVENT. */
    static ExceptionRecord record(DebugEvent e) {
        assertEquals(DebugEventCode.EXCEPTION_DEBUG_EVENT, e.code(), () -> "not an exception: " + e);
        return ((DebugEventInfo.ExceptionDebugInfo) e.info()).exceptionRecord();
    }

    static boolean firstChance(DebugEvent e) {
        return ((DebugEventInfo.ExceptionDebugInfo) e.info()).firstChance();
    }

    static boolean isException(DebugEvent e, NtStatus code) {
        return e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT && record(e).code() == code.value();
    }

    /** GetThreadContext through a handle; fails the test if it fails. */
    static Amd64Context context(Kernel32 k32, Handle thread) {
        UserPointer<Amd64Context> ctx = UserPointer.empty();
        assertTrue(k32.getThreadContext(thread, ctx), () -> "GetThreadContext failed, error " + k32.getLastError());
        return ctx.get();
    }

    /** ReadProcessMemory; fails the test if it fails. */
    static byte[] read(Kernel32 k32, Handle process, long address, int length) {
        byte[] buffer = new byte[length];
        assertTrue(k32.readProcessMemory(process, address, buffer, length, null),
                () -> "ReadProcessMemory failed, error " + k32.getLastError());
        return buffer;
    }

    /** WriteProcessMemory; fails the test if it fails. */
    static void write(Kernel32 k32, Handle process, long address, byte... bytes) {
        assertTrue(k32.writeProcessMemory(process, address, bytes, bytes.length, null),
                () -> "WriteProcessMemory failed, error " + k32.getLastError());
    }

    /**
     * Continues events (first-chance exceptions other than breakpoints as not handled, everything else with
     * DBG_CONTINUE) until the next event satisfies {@code wanted}; returns it un-continued.
     */
    static DebugEvent continueUntil(SimDebugFixture f, String what, java.util.function.Predicate<DebugEvent> wanted) {
        List<DebugEvent> seen = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            DebugEvent e = f.next();
            if (wanted.test(e)) {
                return e;
            }
            seen.add(e);
            f.resume(e, e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT ? SimDebugFixture.passThrough(e) : NtStatus.DBG_CONTINUE);
        }
        fail(what + " never arrived; saw " + seen);
        return null;
    }

    /** A debuggee launched with DEBUG_PROCESS whose workers idle (in a guest wait) until terminated. */
    record Workers(ProcessInformation info, EProcess process, EThread main, List<EThread> workers, List<Handle> workerHandles) {
        int pid() {
            return info.processId();
        }
    }

    /**
     * Launches {@code name} with DEBUG_PROCESS: its main thread creates {@code n} workers that wait for a signal
     * that never comes, then waits for every worker and returns (exit code 0). Continues every event up to and
     * including the last worker's CREATE_THREAD and returns once all workers idle and the main thread waits: the
     * debuggee is quiet and nothing is queued.
     */
    static Workers launchIdleWorkers(SimDebugFixture f, String name, int n) {
        SimProgram program = SimProgram.of(name, g -> {
            List<EThread> ws = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ws.add(g.createThread(w -> w.waitFor(name + ".never")));
            }
            for (EThread w : ws) {
                g.waitForThread(w);
            }
        });
        ProcessInformation info = f.launch(program, DebugCreationFlags.DEBUG_PROCESS);
        List<EThread> workers = new ArrayList<>();
        List<Handle> handles = new ArrayList<>();
        while (workers.size() < n) {
            DebugEvent e = continueUntil(f, "CREATE_THREAD of a worker", ev -> ev.code() == DebugEventCode.CREATE_THREAD_DEBUG_EVENT);
            workers.add(thread(f, e.threadId()));
            handles.add(((DebugEventInfo.CreateThreadDebugInfo) e.info()).thread());
            f.resume(e);
        }
        EThread main = thread(f, info.threadId());
        for (EThread w : workers) {
            awaitState(f, w, SimThreadState.WAITING);
        }
        awaitState(f, main, SimThreadState.WAITING);
        return new Workers(info, f.process(info.processId()), main, workers, handles);
    }

    /**
     * Terminates one idle worker (NtTerminateThread through its CREATE_THREAD handle) and waits until its
     * EXIT_THREAD event is queued (the thread blocks in the kernel waiting for the debugger).
     */
    static void exitWorker(SimDebugFixture f, Workers w, int index, int exitCode) {
        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.services().terminateThread(f.debuggerThread, ProcessorMode.USER,
                w.workerHandles().get(index), exitCode));
        awaitState(f, w.workers().get(index), SimThreadState.IN_KERNEL);
    }

    static int exitCode(DebugEvent e) {
        return switch (e.info()) {
            case DebugEventInfo.ExitThreadDebugInfo et -> et.exitCode();
            case DebugEventInfo.ExitProcessDebugInfo ep -> ep.exitCode();
            default -> throw new AssertionError("not an exit event: " + e);
        };
    }
}
