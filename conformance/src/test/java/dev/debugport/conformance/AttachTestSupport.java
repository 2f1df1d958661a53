package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.debugport.dbgk.DebugObject;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ob.HandleEntry;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.sim.GuestApi;
import dev.debugport.sim.SimProgram;
import dev.debugport.win32.Kernel32;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * Shared set-up for the debug-object and attach conformance tests (dbgk.md §15 items 6–37, Part 2 scenarios 1–31):
 * a fixture, an "idle" target program whose threads wait for a signal, and the Nt* calls those tests make from the
 * fixture's debugger thread.
 */
abstract class AttachTestSupport {
    /** The target signals this once all its threads run and its DLLs are loaded. */
    static final String READY = "target.ready";
    /** Every thread of the idle target ends once this is signalled. */
    static final String EXIT = "target.exit";
    /** The exit code of the idle target's main thread (the last one to exit, so the process's exit code). */
    static final int MAIN_EXIT = 0x55;

    final SimDebugFixture f = new SimDebugFixture();

    @AfterEach
    void closeFixture() {
        f.close();
    }

    /**
     * A native program (importing user32.dll) whose main thread starts {@code workers} threads, one after the
     * other and each only once the previous one runs, loads {@code dlls} in order, signals {@link #READY} and waits
     * for {@link #EXIT}; the workers exit with 0 and the main thread with {@link #MAIN_EXIT} after them.
     */
    static SimProgram idleTarget(String name, int workers, String... dlls) {
        return new SimProgram(name, ProcessTraits.NATIVE, List.of("user32.dll"), g -> {
            List<EThread> started = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                String up = name + ".worker" + i + ".up";
                started.add(g.createThread(w -> {
                    w.signal(up);
                    w.waitFor(EXIT);
                }));
                g.waitFor(up);
            }
            for (String dll : dlls) {
                g.loadLibrary(dll);
            }
            g.signal(READY);
            g.waitFor(EXIT);
            started.forEach(g::waitForThread);
            g.exitThread(MAIN_EXIT);
        });
    }

    /** Creates a process that is not debugged, from the debugger's thread, and waits for its ready signal. */
    EProcess startUndebugged(SimProgram program, String readySignal) {
        var created = f.machine.createProcess(f.debuggerThread, program);
        assertTrue(created.isSuccess(), () -> "process creation failed: " + created.status());
        assertTrue(f.machine.awaitSignal(readySignal, SimDebugFixture.TIMEOUT), () -> program.name() + " never signalled " + readySignal);
        return created.value().process();
    }

    /** An idle target with {@code workers} extra threads, started undebugged and ready. */
    EProcess startIdle(int workers, String... dlls) {
        return startUndebugged(idleTarget("idle", workers, dlls), READY);
    }

    /** OpenProcess from the debugger thread; fails the test if it fails. */
    Handle openProcess(EProcess process, int access) {
        Handle h = f.k32.openProcess(access, (int) process.pid());
        assertFalse(h.isNull(), () -> "OpenProcess failed, error " + f.k32.getLastError());
        return h;
    }

    /** NtCreateDebugObject from the debugger thread; fails the test if it fails. */
    Handle createObject(int access, int flags) {
        UserPointer<Handle> h = UserPointer.of(Handle.NULL);
        NtStatus s = f.dbgk.objects().createDebugObject(f.debuggerThread, ProcessorMode.USER, h, access, null, flags);
        assertEquals(NtStatus.STATUS_SUCCESS, s);
        return h.get();
    }

    /** DbgUiConnectToDbg on the debugger thread; returns the thread's debug object handle. */
    Handle connect() {
        assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().connectToDbg());
        return f.k32.dbgUi().getThreadDebugObject();
    }

    /** The debug object a handle of the debugger's table names. */
    DebugObject object(Handle h) {
        HandleEntry e = f.kernel.services().lookupHandle(f.debuggerThread, h);
        assertNotNull(e, () -> h + " is not open");
        return (DebugObject) e.object();
    }

    /** NtDebugActiveProcess from the debugger thread (user mode). */
    NtStatus ntAttach(Handle process, Handle debugObject) {
        return f.dbgk.attach().debugActiveProcess(f.debuggerThread, ProcessorMode.USER, process, debugObject);
    }

    /** NtDebugActiveProcess with the thread's DbgUi object (connecting first); the attach must succeed. */
    void ntAttachWithDbgUi(EProcess target) {
        Handle object = connect();
        assertEquals(NtStatus.STATUS_SUCCESS, ntAttach(openProcess(target, AccessMask.PROCESS_ALL_ACCESS), object));
    }

    /** The next event for {@code debugger}, which must be of the given kind. */
    static DebugEvent next(Kernel32 debugger, DebugEventCode expected) {
        DebugEvent e = SimDebugFixture.next(debugger);
        assertEquals(expected, e.code(), () -> "unexpected event " + e);
        return e;
    }

    static void resume(Kernel32 debugger, DebugEvent e) {
        assertTrue(debugger.continueDebugEvent(e.processId(), e.threadId(), NtStatus.DBG_CONTINUE),
                () -> "ContinueDebugEvent failed, error " + debugger.getLastError() + " for " + e);
    }

    /**
     * Continues events of {@code debugger} until the given kind arrives and returns it (not continued).
     * Exceptions are passed through as a plain debugger would (breakpoints handled, others not).
     */
    static DebugEvent skipUntil(Kernel32 debugger, DebugEventCode wanted) {
        List<DebugEvent> seen = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            DebugEvent e = SimDebugFixture.next(debugger);
            if (e.code() == wanted) {
                return e;
            }
            seen.add(e);
            NtStatus answer = e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT ? SimDebugFixture.passThrough(e) : NtStatus.DBG_CONTINUE;
            assertTrue(debugger.continueDebugEvent(e.processId(), e.threadId(), answer));
        }
        fail(wanted + " never arrived; saw " + seen);
        return null;
    }

    /**
     * Launched with DEBUG_PROCESS: continues the start-up events up to and including the loader's initial
     * breakpoint, after which the target runs its main and no event is outstanding.
     */
    static void continuePastInitialBreakpoint(Kernel32 debugger) {
        DebugEvent bp = skipUntil(debugger, DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), exception(bp).exceptionRecord().code(), () -> "not the initial breakpoint: " + bp);
        resume(debugger, bp);
    }

    /**
     * Reads events of {@code debugger} until none arrives for {@code quietMillis}, continuing each with DBG_CONTINUE
     * (exceptions passed through); returns them in order.
     */
    static List<DebugEvent> drain(Kernel32 debugger, int quietMillis) {
        List<DebugEvent> events = new ArrayList<>();
        UserPointer<DebugEvent> e = UserPointer.empty();
        while (debugger.waitForDebugEventEx(e, quietMillis)) {
            DebugEvent ev = e.get();
            events.add(ev);
            NtStatus answer = ev.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT ? SimDebugFixture.passThrough(ev) : NtStatus.DBG_CONTINUE;
            assertTrue(debugger.continueDebugEvent(ev.processId(), ev.threadId(), answer));
            e = UserPointer.empty();
        }
        assertEquals(Win32Error.ERROR_SEM_TIMEOUT, debugger.getLastError());
        return events;
    }

    /** Asserts that {@code debugger} gets no event within {@code millis}. */
    static void assertNoEvent(Kernel32 debugger, int millis) {
        UserPointer<DebugEvent> e = UserPointer.empty();
        if (debugger.waitForDebugEventEx(e, millis)) {
            fail("unexpected event " + e.get());
        }
        assertEquals(Win32Error.ERROR_SEM_TIMEOUT, debugger.getLastError());
    }

    static DebugEventInfo.ExceptionDebugInfo exception(DebugEvent e) {
        return (DebugEventInfo.ExceptionDebugInfo) e.info();
    }

    static DebugEventInfo.CreateProcessDebugInfo createProcess(DebugEvent e) {
        return (DebugEventInfo.CreateProcessDebugInfo) e.info();
    }

    static DebugEventInfo.CreateThreadDebugInfo createThread(DebugEvent e) {
        return (DebugEventInfo.CreateThreadDebugInfo) e.info();
    }

    static DebugEventInfo.LoadDllDebugInfo loadDll(DebugEvent e) {
        return (DebugEventInfo.LoadDllDebugInfo) e.info();
    }

    /** The loader-list entries from index 2 on (after exe and ntdll), in load order. */
    static List<ImageInfo> modulesAfterNtdll(EProcess process) {
        synchronized (process.loaderList()) {
            return List.copyOf(process.loaderList().subList(2, process.loaderList().size()));
        }
    }

    /** The ntdll the target's system DLL slot 0 names. */
    static ImageInfo ntdll(EProcess process) {
        return process.systemDlls()[0];
    }

    /** Waits for a guest's signal; fails if it does not come. */
    void awaitSignal(String name) {
        assertTrue(f.machine.awaitSignal(name, SimDebugFixture.TIMEOUT), () -> "signal " + name + " never came");
    }

    /** Guest helper: signal {@code yes} or {@code no} depending on {@code value}. */
    static void report(GuestApi g, boolean value, String yes, String no) {
        g.signal(value ? yes : no);
    }
}
