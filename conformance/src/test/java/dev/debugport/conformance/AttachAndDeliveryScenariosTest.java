package dev.debugport.conformance;

import static dev.debugport.conformance.DeliverySupport.continueUntil;
import static dev.debugport.conformance.DeliverySupport.debugObject;
import static dev.debugport.conformance.DeliverySupport.isException;
import static dev.debugport.conformance.DeliverySupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.sim.SimProgram;
import dev.debugport.sim.SimThreadState;
import dev.debugport.sim.image.SimNtdll;
import dev.debugport.sim.memory.PageProtection;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * spec/wine-model-and-scenarios.md Part 2, section C (scenarios 32–46): attach and its fake events, one event per
 * process, the break-in thread, DEBUG_PROCESS launches and their initial breakpoint, children and grandchildren,
 * breakpoint bytes, DLL load/unload pairs, and a WoW64 debuggee.
 */
class AttachAndDeliveryScenariosTest {
    private final SimDebugFixture f = new SimDebugFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    /**
     * A running process with {@code extraThreads} idle threads and alpha.dll loaded (besides the exe's imports);
     * everything idles until {@code name + ".exit"} is signalled, then it exits with 0.
     */
    private ProcessInformation startIdleProcess(String name, int extraThreads) {
        SimProgram program = new SimProgram(name, ProcessTraits.NATIVE, List.of("user32.dll"), g -> {
            List<EThread> threads = new ArrayList<>();
            for (int i = 0; i < extraThreads; i++) {
                threads.add(g.createThread(w -> w.waitFor(name + ".exit")));
            }
            g.loadLibrary("alpha.dll");
            g.signal(name + ".ready");
            g.waitFor(name + ".exit");
            for (EThread t : threads) {
                g.waitForThread(t);
            }
        });
        ProcessInformation p = f.launch(program, 0);
        assertTrue(f.machine.awaitSignal(name + ".ready", SimDebugFixture.TIMEOUT));
        EProcess process = f.process(p.processId());
        for (EThread t : process.threads()) {
            DeliverySupport.awaitState(f, t, SimThreadState.WAITING);
        }
        return p;
    }

    private long ntdllBase(int pid) {
        return f.machine.simProcess(f.process(pid)).ntdll().base();
    }

    private long dbgBreakPoint(int pid) {
        return f.machine.simProcess(f.process(pid)).ntdllRoutine(SimNtdll.DBG_BREAK_POINT);
    }

    private int suspendCount(Handle thread) {
        int count = f.k32.suspendThread(thread);
        assertNotEquals(-1, count, () -> "SuspendThread failed, error " + f.k32.getLastError());
        assertEquals(count + 1, f.k32.resumeThread(thread));
        return count;
    }

    /** The events of an attach up to (not including) the first event that is not a fake, each continued. */
    private record AttachEvents(List<DebugEvent> fakes, DebugEvent firstLive) {
    }

    private AttachEvents attachAndCollectFakes(ProcessInformation p, boolean checkSuspension) {
        EProcess process = f.process(p.processId());
        Set<Long> existing = new HashSet<>();
        process.threads().forEach(t -> existing.add(t.tid()));
        assertTrue(f.k32.debugActiveProcess(p.processId()), () -> "DebugActiveProcess failed, error " + f.k32.getLastError());
        List<DebugEvent> fakes = new ArrayList<>();
        Handle previous = null;
        while (true) {
            DebugEvent e = f.next();
            // The debuggee idles: every event of a thread that existed before the attach is a fake one.
            boolean fake = switch (e.code()) {
                case CREATE_PROCESS_DEBUG_EVENT, LOAD_DLL_DEBUG_EVENT, CREATE_THREAD_DEBUG_EVENT -> existing.contains((long) e.threadId());
                default -> false;
            };
            if (!fake) {
                return new AttachEvents(fakes, e);
            }
            if (checkSuspension) {
                Handle current = switch (e.info()) {
                    case DebugEventInfo.CreateProcessDebugInfo cp -> cp.thread();
                    case DebugEventInfo.CreateThreadDebugInfo ct -> ct.thread();
                    default -> null;
                };
                if (current != null) {
                    assertTrue(suspendCount(current) > 0, () -> "the thread of " + e + " is not suspended while its fake event is out");
                    if (previous != null) {
                        assertEquals(0, suspendCount(previous), "the previous fake event's thread runs again once continued");
                    }
                    previous = current;
                }
            }
            // p2 35: while this event is out, later ones stay queued and undeliverable.
            if (debugObject(f, f.dbgUiHandle()).queuedEventCount() > 1) {
                f.assertNoEvent(10);
            }
            fakes.add(e);
            f.resume(e);
        }
    }

    @Test
    void p2_32_debugActiveProcessOnItselfFails() {
        int self = (int) f.debuggerProcess.pid();
        assertFalse(f.k32.debugActiveProcess(self));
        assertEquals(Win32Error.ERROR_ACCESS_DENIED, f.k32.getLastError());
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, f.dbgk.attach().debugActiveProcess(f.debuggerThread, ProcessorMode.USER,
                Handle.CURRENT_PROCESS, f.dbgUiHandle()));
        assertFalse(f.debuggerProcess.debugPort() != null, "nothing was attached");
    }

    @Test
    void p2_33_attachReportsProcessNtdllThreadsThenTheOtherDlls() {
        ProcessInformation p = startIdleProcess("attach33", 3);
        EProcess process = f.process(p.processId());
        List<Long> otherThreads = process.threads().stream().map(EThread::tid).filter(t -> t != p.threadId()).toList();
        AttachEvents attach = attachAndCollectFakes(p, false);
        List<DebugEvent> fakes = attach.fakes();
        long ntdll = ntdllBase(p.processId());

        DebugEvent cp = fakes.get(0);
        assertEquals(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT, cp.code());
        long exeBase = ((DebugEventInfo.CreateProcessDebugInfo) cp.info()).baseOfImage();
        assertEquals(DebugEventCode.LOAD_DLL_DEBUG_EVENT, fakes.get(1).code());
        assertEquals(ntdll, ((DebugEventInfo.LoadDllDebugInfo) fakes.get(1).info()).baseOfDll());
        List<Long> createThreads = new ArrayList<>();
        int i = 2;
        while (i < fakes.size() && fakes.get(i).code() == DebugEventCode.CREATE_THREAD_DEBUG_EVENT) {
            createThreads.add((long) fakes.get(i++).threadId());
        }
        assertEquals(otherThreads, createThreads, "one CREATE_THREAD per other thread, in creation order");
        int dlls = 1;
        for (; i < fakes.size(); i++) {
            DebugEvent e = fakes.get(i);
            assertEquals(DebugEventCode.LOAD_DLL_DEBUG_EVENT, e.code(), () -> "unexpected " + e);
            long base = ((DebugEventInfo.LoadDllDebugInfo) e.info()).baseOfDll();
            assertNotEquals(ntdll, base, "ntdll reported again");
            assertNotEquals(exeBase, base, "the exe reported as a DLL");
            dlls++;
        }
        assertTrue(dlls > 2, "only " + dlls + " DLLs reported");
        finishAttachedRun("attach33", p, attach.firstLive());
    }

    /** Continues an outstanding event, lets the idle process {@code name} exit, and checks it exited with 0. */
    private void finishAttachedRun(String name, ProcessInformation p, DebugEvent outstanding) {
        f.resume(outstanding, outstanding.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT ? SimDebugFixture.passThrough(outstanding) : NtStatus.DBG_CONTINUE);
        f.machine.signal(name + ".exit");
        assertEquals(0, f.runToExit(p.processId()));
    }

    @Test
    void p2_34_fakeEventThreadsAreSuspendedUntilTheirEventIsContinued() {
        ProcessInformation p = startIdleProcess("attach34", 2);
        AttachEvents attach = attachAndCollectFakes(p, true);
        assertTrue(attach.fakes().stream().filter(e -> e.code() == DebugEventCode.CREATE_THREAD_DEBUG_EVENT).count() == 2);
        // After the last fake, every thread of the debuggee runs again.
        for (EThread t : f.process(p.processId()).threads()) {
            assertEquals(0, t.runState().suspendCount(), () -> t + " still suspended");
        }
        finishAttachedRun("attach34", p, attach.firstLive());
    }

    @Test
    void p2_35_queuedEventsWaitWhileOneIsOutstanding() {
        ProcessInformation p = startIdleProcess("attach35", 2);
        assertTrue(f.k32.debugActiveProcess(p.processId()));
        int queued = debugObject(f, f.dbgUiHandle()).queuedEventCount();
        assertTrue(queued > 4, "the fake events are all queued at attach, found " + queued);
        DebugEvent first = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        for (int i = 0; i < 3; i++) {
            f.assertNoEvent(10);
        }
        // Nothing was consumed by the failed waits (the break-in thread may have queued its CREATE_THREAD meanwhile).
        assertTrue(debugObject(f, f.dbgUiHandle()).queuedEventCount() >= queued);
        f.resume(first);
        DebugEvent second = f.next(DebugEventCode.LOAD_DLL_DEBUG_EVENT);
        f.assertNoEvent(10);
        finishAttachedRun("attach35", p, second);
    }

    @Test
    void p2_36_breakInThreadIsCreatedRunningAndBreaksAtDbgBreakPoint() {
        ProcessInformation p = startIdleProcess("attach36", 1);
        AttachEvents attach = attachAndCollectFakes(p, false);
        DebugEvent ct = attach.firstLive();
        assertEquals(DebugEventCode.CREATE_THREAD_DEBUG_EVENT, ct.code());
        Handle hBreakin = ((DebugEventInfo.CreateThreadDebugInfo) ct.info()).thread();
        assertEquals(0, suspendCount(hBreakin), "the break-in thread is running");
        Set<Long> before = new HashSet<>();
        attach.fakes().forEach(e -> before.add((long) e.threadId()));
        assertFalse(before.contains((long) ct.threadId()), "a new thread");
        f.resume(ct);
        DebugEvent bp = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertTrue(isException(bp, NtStatus.STATUS_BREAKPOINT));
        assertEquals(ct.threadId(), bp.threadId(), "on the thread just reported as created");
        assertEquals(dbgBreakPoint(p.processId()), record(bp).address());
        finishAttachedRun("attach36", p, bp);
    }

    @Test
    void p2_37_breakInBreakpointNotHandledDoesNotKillTheDebuggee() {
        ProcessInformation p = startIdleProcess("attach37", 1);
        AttachEvents attach = attachAndCollectFakes(p, false);
        f.resume(attach.firstLive());
        DebugEvent bp = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        f.resume(bp, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        DebugEvent exit = f.next(DebugEventCode.EXIT_THREAD_DEBUG_EVENT);
        assertEquals(bp.threadId(), exit.threadId(), "the break-in thread ends normally");
        assertEquals(0, DeliverySupport.exitCode(exit));
        f.resume(exit);
        f.assertNoEvent(100);
        assertFalse(f.process(p.processId()).hasExited(), "the debuggee is still alive");
        f.machine.signal("attach37.exit");
        assertEquals(0, f.runToExit(p.processId()));
    }

    @Test
    void p2_38_debugBreakProcessCreatesAThreadThatBreaksAtDbgBreakPoint() {
        ProcessInformation p = startIdleProcess("attach38", 1);
        AttachEvents attach = attachAndCollectFakes(p, false);
        Handle hProcess = ((DebugEventInfo.CreateProcessDebugInfo) attach.fakes().get(0).info()).process();
        // Finish the attach break-in first.
        f.resume(attach.firstLive());
        DebugEvent first = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        f.resume(first);
        f.resume(f.next(DebugEventCode.EXIT_THREAD_DEBUG_EVENT));

        assertTrue(f.k32.debugBreakProcess(hProcess), () -> "DebugBreakProcess failed, error " + f.k32.getLastError());
        DebugEvent ct = f.next(DebugEventCode.CREATE_THREAD_DEBUG_EVENT);
        f.resume(ct);
        DebugEvent bp = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertTrue(isException(bp, NtStatus.STATUS_BREAKPOINT));
        assertEquals(ct.threadId(), bp.threadId());
        assertEquals(dbgBreakPoint(p.processId()), record(bp).address());
        f.resume(bp);
        f.machine.signal("attach38.exit");
        assertEquals(0, f.runToExit(p.processId()));
    }

    @Test
    void p2_39_aDebuggeeCanAttachToItsOwnDebugger() {
        int parentPid = (int) f.debuggerProcess.pid();
        List<Object> results = new CopyOnWriteArrayList<>();
        SimProgram child = SimProgram.of("attach-parent", g -> {
            Kernel32 k32 = new Kernel32(f.dbgk, g.thread());
            Handle parent = k32.openProcess(AccessMask.PROCESS_QUERY_INFORMATION, parentPid);
            results.add(remoteDebuggerPresent(k32, parent));
            results.add(k32.debugActiveProcess(parentPid) ? "attached" : "attach failed " + k32.getLastError());
            results.add(remoteDebuggerPresent(k32, parent));
            results.add(k32.debugActiveProcessStop(parentPid) ? "detached" : "detach failed " + k32.getLastError());
            results.add(remoteDebuggerPresent(k32, parent));
            k32.closeHandle(parent);
        });
        ProcessInformation p = f.launch(child, DebugCreationFlags.DEBUG_PROCESS);
        assertEquals(0, f.runToExit(p.processId()));
        assertEquals(List.of(false, "attached", true, "detached", false), results);
        // The break-in thread the child started in this process has ended (it was released by the detach).
        for (EThread t : List.copyOf(f.debuggerProcess.threads())) {
            if (t != f.debuggerThread) {
                assertTrue(dev.debugport.sim.SimMachine.awaitExit(t, SimDebugFixture.TIMEOUT), () -> t + " still runs");
            }
        }
    }

    private static Object remoteDebuggerPresent(Kernel32 k32, Handle process) {
        UserPointer<Boolean> present = UserPointer.of(null);
        return k32.checkRemoteDebuggerPresent(process, present) ? present.get() : "error " + k32.getLastError();
    }

    @Test
    void p2_40_debugProcessLaunchReportsProcessNtdllAndTheLoaderBreakpoint() {
        SimProgram program = SimProgram.of("launch40", g -> { });
        ProcessInformation p = f.launch(program, DebugCreationFlags.DEBUG_PROCESS);
        UserPointer<Boolean> present = UserPointer.of(null);
        assertTrue(f.k32.checkRemoteDebuggerPresent(p.process(), present));
        assertTrue(present.get(), "debugged from the start, before any event was handled");

        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals(f.process(p.processId()).image().base(), ((DebugEventInfo.CreateProcessDebugInfo) cp.info()).baseOfImage());
        f.resume(cp);
        DebugEvent ntdll = f.next(DebugEventCode.LOAD_DLL_DEBUG_EVENT);
        assertEquals(ntdllBase(p.processId()), ((DebugEventInfo.LoadDllDebugInfo) ntdll.info()).baseOfDll());
        f.resume(ntdll);
        DebugEvent bp = continueUntil(f, "the initial breakpoint", e -> e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertTrue(isException(bp, NtStatus.STATUS_BREAKPOINT));
        assertEquals(p.threadId(), bp.threadId(), "on the main thread");
        assertNotEquals(dbgBreakPoint(p.processId()), record(bp).address(), "the loader's own break, not DbgBreakPoint");
        long ntdllBase = ntdllBase(p.processId());
        long ntdllSize = f.machine.simProcess(f.process(p.processId())).ntdll().size();
        assertTrue(record(bp).address() >= ntdllBase && record(bp).address() < ntdllBase + ntdllSize, "inside ntdll");
        f.resume(bp);
        assertEquals(0, f.runToExit(p.processId()));
    }

    @Test
    void p2_41_initialBreakpointNotHandledDoesNotCrashTheChild() {
        ProcessInformation p = f.launch(SimProgram.of("launch41", g -> g.exitThread(0x41)), DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent bp = continueUntil(f, "the initial breakpoint", e -> e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertTrue(isException(bp, NtStatus.STATUS_BREAKPOINT));
        f.resume(bp, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        DebugEvent next = f.next();
        assertNotEquals(DebugEventCode.EXCEPTION_DEBUG_EVENT, next.code(), () -> "unexpected " + next);
        f.resume(next);
        int exit = next.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT ? DeliverySupport.exitCode(next) : f.runToExit(p.processId());
        assertEquals(0x41, exit);
    }

    /** Runs a child (which creates a grandchild) to its end and returns the pids that sent CREATE_PROCESS. */
    private List<Integer> runChildWithGrandchild(String name, int flags) {
        SimProgram grandchild = SimProgram.of(name + "-gc", g -> g.signal(name + ".gc-ran"));
        SimProgram child = SimProgram.of(name, g -> {
            g.waitFor(name + ".go");
            assertTrue(g.createProcess(grandchild, false).isSuccess());
            g.waitFor(name + ".gc-ran");
        });
        ProcessInformation p;
        if (flags == -1) {
            p = f.launch(child, 0);
            assertTrue(f.k32.debugActiveProcess(p.processId()));
        } else {
            p = f.launch(child, flags);
        }
        f.machine.signal(name + ".go");
        List<Integer> created = new ArrayList<>();
        Set<Integer> exited = new HashSet<>();
        while (!exited.contains(p.processId()) || exited.size() < created.size()) {
            DebugEvent e = f.next();
            if (e.code() == DebugEventCode.CREATE_PROCESS_DEBUG_EVENT) {
                created.add(e.processId());
            }
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                exited.add(e.processId());
            }
            f.resume(e, e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT ? SimDebugFixture.passThrough(e) : NtStatus.DBG_CONTINUE);
        }
        f.assertNoEvent(50);
        assertTrue(f.machine.isSignalled(name + ".gc-ran"), "the grandchild ran");
        assertEquals(p.processId(), created.getFirst());
        return created;
    }

    @Test
    void p2_42_grandchildrenAreDebuggedOnlyUnderDebugProcess() {
        assertEquals(2, runChildWithGrandchild("children-dp", DebugCreationFlags.DEBUG_PROCESS).size(), "DEBUG_PROCESS");
        assertEquals(1, runChildWithGrandchild("children-dotp", DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS).size(),
                "DEBUG_ONLY_THIS_PROCESS");
        assertEquals(1, runChildWithGrandchild("children-both",
                DebugCreationFlags.DEBUG_PROCESS | DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS).size(), "both flags");
        assertEquals(1, runChildWithGrandchild("children-attached", -1).size(), "attached with DebugActiveProcess");
    }

    @Test
    void p2_43_everyBreakpointAddressHoldsAnInt3() {
        SimProgram program = SimProgram.of("bp-bytes", g -> {
            long code = g.allocate(0x1000, PageProtection.PAGE_EXECUTE_READWRITE);
            g.write(code, new byte[] {(byte) 0x90, (byte) 0xCC, (byte) 0xC3});
            g.execute(code, 8);
            g.signal("bp43.ran");
            g.waitFor("bp43.exit");
        });
        ProcessInformation p = f.launch(program, DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        Handle hProcess = ((DebugEventInfo.CreateProcessDebugInfo) cp.info()).process();
        f.resume(cp);
        int breakpoints = 0;
        while (true) {
            DebugEvent e = f.next();
            if (isException(e, NtStatus.STATUS_BREAKPOINT)) {
                breakpoints++;
                long at = record(e).address();
                assertEquals((byte) 0xCC, DeliverySupport.read(f.k32, hProcess, at, 1)[0], () -> "no int3 at " + Long.toHexString(at));
            }
            f.resume(e, e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT ? SimDebugFixture.passThrough(e) : NtStatus.DBG_CONTINUE);
            if (breakpoints == 2 && isException(e, NtStatus.STATUS_BREAKPOINT)) {
                // The loader's and the program's breakpoints are done; break in while the program idles.
                assertTrue(f.machine.awaitSignal("bp43.ran", SimDebugFixture.TIMEOUT));
                DeliverySupport.awaitState(f, DeliverySupport.thread(f, p.threadId()), SimThreadState.WAITING);
                assertTrue(f.k32.debugBreakProcess(hProcess));
            }
            if (breakpoints == 3 && isException(e, NtStatus.STATUS_BREAKPOINT)) {
                f.machine.signal("bp43.exit");
            }
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                break;
            }
        }
        assertEquals(3, breakpoints, "the loader's, the program's and the break-in's");
    }

    @Test
    void p2_44_loadAndUnloadComeInPairsWithTheSameBase() {
        String beta = "C:\\Windows\\System32\\beta.dll";
        String img32 = "C:\\Windows\\SysWOW64\\delta.dll";
        SimProgram program = SimProgram.of("pairs", g -> {
            long alpha = g.loadLibrary("alpha.dll");
            g.freeLibrary(alpha);
            long view = g.mapImageSection(beta);
            g.unmapViewOfSection(view);
            long view32 = g.mapImageSection(img32, 0x14C);
            g.unmapViewOfSection(view32);
        });
        ProcessInformation p = f.launch(program, DebugCreationFlags.DEBUG_PROCESS);
        DebugEvent bp = continueUntil(f, "the initial breakpoint", e -> e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT);
        f.resume(bp);
        Map<String, long[]> pairs = new LinkedHashMap<>(); // path → {load base, unload base}
        String lastLoaded = null;
        while (true) {
            DebugEvent e = f.next();
            if (e.info() instanceof DebugEventInfo.LoadDllDebugInfo ld) {
                lastLoaded = f.k32.getFinalPathNameByHandle(ld.file()).toLowerCase(Locale.ROOT);
                pairs.put(lastLoaded, new long[] {ld.baseOfDll(), 0});
            } else if (e.info() instanceof DebugEventInfo.UnloadDllDebugInfo ud) {
                assertTrue(lastLoaded != null, "UNLOAD_DLL without LOAD_DLL");
                pairs.get(lastLoaded)[1] = ud.baseOfDll();
            }
            f.resume(e, e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT ? SimDebugFixture.passThrough(e) : NtStatus.DBG_CONTINUE);
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                break;
            }
        }
        assertEquals(List.of("c:\\windows\\system32\\alpha.dll", beta.toLowerCase(Locale.ROOT), img32.toLowerCase(Locale.ROOT)),
                List.copyOf(pairs.keySet()), "LoadLibrary, an image section, and a 32-bit image are all reported to a 64-bit debugger");
        pairs.forEach((path, bases) -> assertEquals(bases[0], bases[1], path + ": UNLOAD_DLL base differs from LOAD_DLL"));

        // A 32-bit debugger never gets a 64-bit debuggee to see such events from (Windows 10: STATUS_NOT_SUPPORTED).
        Kernel32 debugger32 = new Kernel32(f.dbgk, f.machine.createHostThread("debugger32.exe", ProcessTraits.wow64I386()));
        UserPointer<ProcessInformation> info = UserPointer.empty();
        assertFalse(debugger32.createProcess(program, DebugCreationFlags.DEBUG_PROCESS, info));
        assertEquals(Win32Error.ERROR_NOT_SUPPORTED, debugger32.getLastError());
    }

    @Test
    void p2_45_otherProcessIdsAppearOnlyAfterTheirCreateProcess() {
        SimProgram grandchild = SimProgram.of("gc45", g -> {
            for (int i = 0; i < 3; i++) {
                g.outputDebugStringA("grandchild " + i);
            }
        });
        SimProgram child = SimProgram.of("child45", g -> {
            assertTrue(g.createProcess(grandchild, false).isSuccess());
            for (int i = 0; i < 3; i++) {
                g.outputDebugStringA("child " + i);
            }
        });
        ProcessInformation p = f.launch(child, DebugCreationFlags.DEBUG_PROCESS);
        Set<Integer> known = new HashSet<>();
        Set<Integer> exited = new HashSet<>();
        Map<Integer, Integer> strings = new LinkedHashMap<>();
        // Until both processes have come and gone: the child may exit before its child's CREATE_PROCESS is queued.
        while (known.size() < 2 || exited.size() < known.size()) {
            DebugEvent e = f.next();
            if (e.code() == DebugEventCode.CREATE_PROCESS_DEBUG_EVENT) {
                assertTrue(known.add(e.processId()), "a second CREATE_PROCESS for one process");
            } else {
                assertTrue(known.contains(e.processId()), () -> "event of an unannounced process: " + e);
            }
            if (e.code() == DebugEventCode.OUTPUT_DEBUG_STRING_EVENT) {
                strings.merge(e.processId(), 1, Integer::sum);
            }
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                exited.add(e.processId());
            }
            f.resume(e, e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT ? SimDebugFixture.passThrough(e) : NtStatus.DBG_CONTINUE);
        }
        assertEquals(2, strings.size(), "both processes' debug strings arrived: " + strings);
        assertTrue(strings.values().stream().allMatch(n -> n == 3), () -> "strings per process: " + strings);
        assertTrue(known.contains(p.processId()));
    }

    @Test
    void p2_46_wow64DebuggeeUnderA64BitDebugger() {
        SimProgram program = SimProgram.of("wow46", g -> g.waitForThread(g.createThread(w -> w.exitThread(0x46))))
                .withTraits(ProcessTraits.wow64I386());
        ProcessInformation p = f.launch(program, DebugCreationFlags.DEBUG_PROCESS);
        List<String> dlls = new ArrayList<>();
        DebugEvent e;
        while ((e = f.next()).code() != DebugEventCode.EXCEPTION_DEBUG_EVENT) {
            if (e.info() instanceof DebugEventInfo.LoadDllDebugInfo ld) {
                dlls.add(f.k32.getFinalPathNameByHandle(ld.file()).toLowerCase(Locale.ROOT));
            }
            f.resume(e);
        }
        assertEquals(2, dlls.stream().filter(d -> d.endsWith("\\ntdll.dll")).count(), () -> "DLLs: " + dlls);
        assertTrue(dlls.contains("c:\\windows\\system32\\ntdll.dll") && dlls.contains("c:\\windows\\syswow64\\ntdll.dll"));
        assertTrue(dlls.stream().filter(d -> d.replaceAll(".*\\\\", "").startsWith("wow64")).count() >= 3, () -> "DLLs: " + dlls);
        assertTrue(isException(e, NtStatus.STATUS_BREAKPOINT), "the native initial breakpoint first");
        f.resume(e);
        DebugEvent wx86 = continueUntil(f, "STATUS_WX86_BREAKPOINT", x -> x.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertTrue(isException(wx86, NtStatus.STATUS_WX86_BREAKPOINT), () -> "unexpected " + wx86);
        f.resume(wx86);
        // A graceful exit: EXIT_THREAD events, then EXIT_PROCESS, and no UNLOAD_DLL at termination.
        List<DebugEventCode> tail = new ArrayList<>();
        while (true) {
            DebugEvent x = f.next();
            f.resume(x);
            if (x.code() == DebugEventCode.CREATE_THREAD_DEBUG_EVENT) {
                continue;
            }
            tail.add(x.code());
            if (x.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                assertEquals(0, DeliverySupport.exitCode(x));
                break;
            }
        }
        assertEquals(List.of(DebugEventCode.EXIT_THREAD_DEBUG_EVENT, DebugEventCode.EXIT_PROCESS_DEBUG_EVENT), tail);
    }
}
