package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.ProcessManager;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.sim.SimProgram;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;

/**
 * Shared plumbing for the lifecycle, children, detach, handle and query conformance classes and the Wine scenario
 * classes (sections E, F, G): one {@link SimDebugFixture} per test and small helpers around it. Every wait is bounded.
 */
abstract class LifecycleTestBase {
    static final int DEBUG_PROCESS = DebugCreationFlags.DEBUG_PROCESS;
    static final int DEBUG_ONLY_THIS_PROCESS = DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS;
    /** How long a "nothing arrives" check waits. */
    static final int QUIET_MS = 150;

    final SimDebugFixture f = new SimDebugFixture();

    @AfterEach
    void closeFixture() {
        f.close();
    }

    /** CreateProcess(DEBUG_PROCESS) from the fixture's debugger thread. */
    ProcessInformation launch(SimProgram program) {
        return f.launch(program, DEBUG_PROCESS);
    }

    /** A guest process started without any debugger (its parent is the debugger process). */
    EProcess startPlain(SimProgram program) {
        NtResult<ProcessManager.CreatedProcess> created = f.machine.createProcess(f.debuggerThread, program);
        assertTrue(created.isSuccess(), () -> "createProcess: " + created.status());
        return created.value().process();
    }

    /** The next event from {@code debugger} within {@code millis}, or null if the wait timed out. */
    static DebugEvent tryNext(Kernel32 debugger, int millis) {
        UserPointer<DebugEvent> e = UserPointer.empty();
        if (debugger.waitForDebugEventEx(e, millis)) {
            return e.get();
        }
        assertEquals(Win32Error.ERROR_SEM_TIMEOUT, debugger.getLastError(), "WaitForDebugEventEx failed");
        return null;
    }

    /**
     * Continues events (the fixture's pass-through answers) until one matching {@code wanted} arrives; returns it
     * without continuing it. Every event seen before it is appended to {@code seen} (may be null).
     */
    DebugEvent until(Predicate<DebugEvent> wanted, List<DebugEvent> seen) {
        return until(f.k32, wanted, seen);
    }

    DebugEvent until(Kernel32 debugger, Predicate<DebugEvent> wanted, List<DebugEvent> seen) {
        for (int i = 0; i < 1000; i++) {
            DebugEvent e = SimDebugFixture.next(debugger);
            if (wanted.test(e)) {
                return e;
            }
            if (seen != null) {
                seen.add(e);
            }
            continueEvent(debugger, e);
        }
        fail("the awaited event never arrived");
        return null;
    }

    /** Continues an event the way a plain debugger does (breakpoints handled, other exceptions not handled). */
    static void continueEvent(Kernel32 debugger, DebugEvent e) {
        boolean ok = debugger.continueDebugEvent(e.processId(), e.threadId(),
                e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT ? SimDebugFixture.passThrough(e) : dev.debugport.nt.NtStatus.DBG_CONTINUE);
        assertTrue(ok, () -> "ContinueDebugEvent failed, error " + debugger.getLastError() + " for " + e);
    }

    /**
     * Continues every event until the EXIT_PROCESS of {@code pid} was continued; returns every event seen, that one
     * included.
     */
    List<DebugEvent> runToExit(int pid) {
        return runToExit(f.k32, pid);
    }

    static List<DebugEvent> runToExit(Kernel32 debugger, int pid) {
        List<DebugEvent> seen = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            DebugEvent e = SimDebugFixture.next(debugger);
            seen.add(e);
            continueEvent(debugger, e);
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT && e.processId() == pid) {
                return seen;
            }
        }
        fail("process " + pid + " never exited; saw " + seen);
        return seen;
    }

    /**
     * Continues events until the machine signal {@code name} is set (a guest sets it once its start-up is over and
     * it waits); returns the events seen.
     */
    List<DebugEvent> drainUntilSignal(String name) {
        List<DebugEvent> seen = new ArrayList<>();
        long deadline = System.nanoTime() + SimDebugFixture.TIMEOUT.toNanos();
        while (!f.machine.isSignalled(name)) {
            if (System.nanoTime() > deadline) {
                fail("signal " + name + " never came; saw " + seen);
            }
            DebugEvent e = tryNext(f.k32, 20);
            if (e != null) {
                seen.add(e);
                continueEvent(f.k32, e);
            }
        }
        return seen;
    }

    /**
     * DebugActiveProcess from the fixture's debugger, then continues the attach events up to and including the
     * break-in thread's breakpoint and its EXIT_THREAD; returns everything seen.
     */
    List<DebugEvent> attachAndSettle(int pid) {
        assertTrue(f.k32.debugActiveProcess(pid), () -> "DebugActiveProcess failed, error " + f.k32.getLastError());
        List<DebugEvent> seen = new ArrayList<>();
        DebugEvent bp = until(e -> isException(e, dev.debugport.nt.NtStatus.STATUS_BREAKPOINT.value()), seen);
        seen.add(bp);
        f.resume(bp);
        DebugEvent exit = until(e -> e.code() == DebugEventCode.EXIT_THREAD_DEBUG_EVENT && e.threadId() == bp.threadId(), seen);
        seen.add(exit);
        f.resume(exit);
        return seen;
    }

    static boolean isException(DebugEvent e, int code) {
        return e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT && exception(e).exceptionRecord().code() == code;
    }

    static DebugEventInfo.ExceptionDebugInfo exception(DebugEvent e) {
        return (DebugEventInfo.ExceptionDebugInfo) e.info();
    }

    static int exceptionCode(DebugEvent e) {
        return exception(e).exceptionRecord().code();
    }

    static <T extends DebugEventInfo> List<T> infos(List<DebugEvent> events, Class<T> kind) {
        return events.stream().map(DebugEvent::info).filter(kind::isInstance).map(kind::cast).toList();
    }

    static List<DebugEvent> ofKind(List<DebugEvent> events, DebugEventCode code) {
        return events.stream().filter(e -> e.code() == code).toList();
    }

    /** ReadProcessMemory that must succeed. */
    byte[] read(Handle process, long address, int length) {
        byte[] buffer = new byte[length];
        assertTrue(f.k32.readProcessMemory(process, address, buffer, length, null),
                () -> "ReadProcessMemory(0x" + Long.toHexString(address) + ") failed, error " + f.k32.getLastError());
        return buffer;
    }

    long readLong(Handle process, long address) {
        return ByteBuffer.wrap(read(process, address, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** A NUL-terminated UTF-16 string in the debuggee (at most 260 characters). */
    String readUtf16(Handle process, long address) {
        byte[] raw = read(process, address, 520);
        int end = 0;
        while (end + 1 < raw.length && (raw[end] != 0 || raw[end + 1] != 0)) {
            end += 2;
        }
        return new String(raw, 0, end, StandardCharsets.UTF_16LE);
    }

    /** A NUL-terminated ANSI string in the debuggee. */
    String readAnsi(Handle process, long address, int maxLength) {
        byte[] raw = read(process, address, maxLength);
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.ISO_8859_1);
    }

    /** The hThread CREATE_PROCESS handed out; continues it. */
    Handle mainThreadHandle() {
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        f.resume(cp);
        return ((DebugEventInfo.CreateProcessDebugInfo) cp.info()).thread();
    }

    /** Continues events until the initial breakpoint has been continued. */
    void passInitialBreakpoint() {
        DebugEvent bp = until(e -> isException(e, NtStatus.STATUS_BREAKPOINT.value()), null);
        f.resume(bp);
    }

    /** GetThreadContext that must succeed. */
    Amd64Context context(Handle thread) {
        UserPointer<Amd64Context> ctx = UserPointer.empty();
        assertTrue(f.k32.getThreadContext(thread, ctx), () -> "GetThreadContext failed, error " + f.k32.getLastError());
        return ctx.get();
    }

    /** OpenThread(THREAD_ALL_ACCESS) on a debuggee thread from the debugger. */
    Handle openThread(long tid) {
        Handle h = f.k32.openThread(dev.debugport.nt.AccessMask.THREAD_ALL_ACCESS, (int) tid);
        assertTrue(!h.isNull(), () -> "OpenThread failed, error " + f.k32.getLastError());
        return h;
    }

    /** OpenProcess(PROCESS_ALL_ACCESS) from the debugger. */
    Handle openProcess(long pid) {
        Handle h = f.k32.openProcess(dev.debugport.nt.AccessMask.PROCESS_ALL_ACCESS, (int) pid);
        assertTrue(!h.isNull(), () -> "OpenProcess failed, error " + f.k32.getLastError());
        return h;
    }

    /** CheckRemoteDebuggerPresent that must succeed. */
    boolean remoteDebuggerPresent(Handle process) {
        UserPointer<Boolean> present = UserPointer.of(null);
        assertTrue(f.k32.checkRemoteDebuggerPresent(process, present), () -> "CheckRemoteDebuggerPresent failed, error " + f.k32.getLastError());
        return present.get();
    }
}
