package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessManager;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.sim.SimProgram;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * spec/dbgk.md §15 items 79–84: which children of a debuggee are debugged (DEBUG_PROCESS, DEBUG_ONLY_THIS_PROCESS,
 * attach, an object being deleted), the 32-bit WoW64 debugger rules and protected targets.
 */
class ChildDebuggingTest extends LifecycleTestBase {

    /** A child that reports whether it saw a debugger, then waits for {@code go} and exits 0. */
    private static SimProgram waitingChild(String name, AtomicBoolean sawDebugger) {
        return SimProgram.of(name, c -> {
            sawDebugger.set(c.isDebuggerPresent());
            c.signal(name + ".up");
            c.waitFor(name + ".go");
        });
    }

    /** Asserts that {@code child} is not debugged (no port, BeingDebugged clear) and lets it run to exit 0. */
    private void assertNotDebuggedAndFinish(EProcess child, String name, AtomicBoolean sawDebugger) {
        assertTrue(f.machine.awaitSignal(name + ".up", SimDebugFixture.TIMEOUT), "the child started");
        assertFalse(remoteDebuggerPresent(openProcess(child.pid())), "CheckRemoteDebuggerPresent(child) is FALSE");
        assertFalse(sawDebugger.get(), "IsDebuggerPresent in the child is FALSE");
        f.machine.signal(name + ".go");
        assertEquals(0, SimDebugFixture.awaitExit(child), "the child runs on its own");
    }

    @Test
    void s15_79_debugProcessAlsoDebugsChildrenAndGrandchildren() {
        AtomicReference<EProcess> child = new AtomicReference<>();
        AtomicReference<EProcess> grandchild = new AtomicReference<>();
        SimProgram gc = SimProgram.of("gc79", g -> g.outputDebugStringA("grandchild"));
        SimProgram c = SimProgram.of("child79", g -> {
            NtResult<ProcessManager.CreatedProcess> r = g.createProcess(gc, false);
            grandchild.set(r.isSuccess() ? r.value().process() : null);
            g.outputDebugStringA("child");
        });
        ProcessInformation pi = launch(SimProgram.of("parent79", g -> {
            NtResult<ProcessManager.CreatedProcess> r = g.createProcess(c, false);
            child.set(r.isSuccess() ? r.value().process() : null);
        }));
        List<DebugEvent> events = new ArrayList<>();
        Set<Integer> exited = new HashSet<>();
        while (exited.size() < 3) {
            DebugEvent e = f.next();
            events.add(e);
            continueEvent(f.k32, e);
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                exited.add(e.processId());
            }
        }
        assertNotNull(child.get(), "the child was created");
        assertNotNull(grandchild.get(), "the grandchild was created");
        int childPid = (int) child.get().pid();
        int grandchildPid = (int) grandchild.get().pid();
        List<Integer> created = ofKind(events, DebugEventCode.CREATE_PROCESS_DEBUG_EVENT).stream().map(DebugEvent::processId).toList();
        assertEquals(Set.of(pi.processId(), childPid, grandchildPid), Set.copyOf(created), "three CREATE_PROCESS events on the one wait");
        assertEquals(3, created.size());
        for (int pid : List.of(childPid, grandchildPid)) {
            DebugEvent firstOfPid = events.stream().filter(e -> e.processId() == pid).findFirst().orElseThrow();
            assertEquals(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT, firstOfPid.code(), "each process starts with CREATE_PROCESS");
        }
        assertEquals(2, infos(events, DebugEventInfo.OutputDebugStringInfo.class).size(), "both children reported their strings");
    }

    private void debugOnlyThisProcess(int flags, String name) {
        AtomicReference<EProcess> child = new AtomicReference<>();
        AtomicBoolean sawDebugger = new AtomicBoolean(true);
        SimProgram c = waitingChild(name, sawDebugger);
        ProcessInformation pi = f.launch(SimProgram.of(name + "p", g -> {
            NtResult<ProcessManager.CreatedProcess> r = g.createProcess(c, false);
            child.set(r.isSuccess() ? r.value().process() : null);
        }), flags);
        List<DebugEvent> events = runToExit(pi.processId());
        assertNotNull(child.get(), "creation succeeded");
        int childPid = (int) child.get().pid();
        assertTrue(events.stream().noneMatch(e -> e.processId() == childPid), "no event from the child");
        assertNotDebuggedAndFinish(child.get(), name, sawDebugger);
        f.assertNoEvent(QUIET_MS);
    }

    @Test
    void s15_80_debugOnlyThisProcessAloneLeavesChildrenUndebugged() {
        debugOnlyThisProcess(DEBUG_ONLY_THIS_PROCESS, "c80a");
    }

    @Test
    void s15_80_debugOnlyThisProcessWithDebugProcessLeavesChildrenUndebugged() {
        debugOnlyThisProcess(DEBUG_PROCESS | DEBUG_ONLY_THIS_PROCESS, "c80b");
    }

    @Test
    void s15_81_childrenOfAnAttachedProcessAreNotDebugged() {
        AtomicReference<EProcess> child = new AtomicReference<>();
        AtomicBoolean sawDebugger = new AtomicBoolean(true);
        SimProgram c = waitingChild("c81", sawDebugger);
        EProcess parent = startPlain(SimProgram.of("p81", g -> {
            g.signal("p81.ready");
            g.waitFor("p81.go");
            NtResult<ProcessManager.CreatedProcess> r = g.createProcess(c, false);
            child.set(r.isSuccess() ? r.value().process() : null);
            g.outputDebugStringA("p81 created its child");
            g.waitFor("p81.end");
        }));
        assertTrue(f.machine.awaitSignal("p81.ready", SimDebugFixture.TIMEOUT));
        attachAndSettle((int) parent.pid());
        f.machine.signal("p81.go");
        List<DebugEvent> seen = new ArrayList<>();
        DebugEvent marker = until(e -> e.code() == DebugEventCode.OUTPUT_DEBUG_STRING_EVENT, seen);
        assertEquals((int) parent.pid(), marker.processId());
        assertNotNull(child.get(), "creation succeeded");
        int childPid = (int) child.get().pid();
        assertTrue(seen.stream().noneMatch(e -> e.processId() == childPid), () -> "no event from the child: " + seen);
        f.resume(marker);
        assertNotDebuggedAndFinish(child.get(), "c81", sawDebugger);
        f.machine.signal("p81.end");
        assertTrue(runToExit((int) parent.pid()).stream().noneMatch(e -> e.processId() == childPid));
    }

    @Test
    void s15_82_aChildCreatedAfterTheLastHandleClosedIsNotDebugged() {
        AtomicReference<NtResult<ProcessManager.CreatedProcess>> created = new AtomicReference<>();
        AtomicBoolean sawDebugger = new AtomicBoolean(true);
        SimProgram c = waitingChild("c82", sawDebugger);
        assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().connectToDbg());
        assertTrue(f.k32.debugSetProcessKillOnExit(false), "the parent must survive the close");
        ProcessInformation pi = launch(SimProgram.of("p82", g -> {
            g.signal("p82.ready");
            g.waitFor("p82.go");
            created.set(g.createProcess(c, false));
        }));
        EProcess parent = f.process(pi.processId());
        drainUntilSignal("p82.ready");
        Handle object = f.k32.dbgUi().getThreadDebugObject();
        assertTrue(f.k32.closeHandle(object), "close the last handle");
        f.k32.dbgUi().setThreadDebugObject(Handle.NULL);
        f.machine.signal("p82.go");
        assertEquals(0, SimDebugFixture.awaitExit(parent), "the parent was not killed");
        assertTrue(created.get().isSuccess(), () -> "creation succeeds: " + created.get().status());
        assertNotDebuggedAndFinish(created.get().value().process(), "c82", sawDebugger);
    }

    @Test
    void s15_83_a32BitDebuggerCannotAttachToOrCreateA64BitDebuggee() {
        EThread dbg32 = f.machine.createHostThread("dbg32.exe", ProcessTraits.wow64I386());
        Kernel32 k32 = new Kernel32(f.dbgk, dbg32);
        EProcess target = startPlain(SimProgram.of("t83", g -> g.waitFor("t83.end")));

        // NT level: NtDebugActiveProcess -> STATUS_NOT_SUPPORTED.
        assertEquals(NtStatus.STATUS_SUCCESS, k32.dbgUi().connectToDbg());
        Handle h = k32.openProcess(AccessMask.PROCESS_SUSPEND_RESUME, (int) target.pid());
        assertFalse(h.isNull());
        assertEquals(NtStatus.STATUS_NOT_SUPPORTED, f.dbgk.attach().debugActiveProcess(dbg32, ProcessorMode.USER, h, k32.dbgUi().getThreadDebugObject()));
        assertEquals(null, target.debugPort());
        // Win32 level.
        assertFalse(k32.debugActiveProcess((int) target.pid()));
        assertEquals(Win32Error.ERROR_NOT_SUPPORTED, k32.getLastError());

        // Creating a 64-bit process with DEBUG_PROCESS fails with STATUS_NOT_SUPPORTED.
        int before = f.kernel.clientIds().allProcesses().size();
        UserPointer<ProcessInformation> info = UserPointer.empty();
        assertFalse(k32.createProcess(SimProgram.of("n83", g -> { }), DEBUG_PROCESS, info));
        assertEquals(Win32Error.ERROR_NOT_SUPPORTED, k32.getLastError());
        assertEquals(before, f.kernel.clientIds().allProcesses().size(), "no process was created");

        // The same debugger may debug 32-bit (WoW64) processes; one of them cannot create a 64-bit child either.
        AtomicReference<NtStatus> childStatus = new AtomicReference<>();
        assertTrue(k32.createProcess(SimProgram.of("w83", g -> childStatus.set(g.createProcess(SimProgram.of("n83b", x -> { }), false).status()))
                .withTraits(ProcessTraits.wow64I386()), DEBUG_PROCESS, info), () -> "error " + k32.getLastError());
        List<DebugEvent> events = runToExit(k32, info.get().processId());
        assertEquals(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT, events.getFirst().code());
        assertEquals(NtStatus.STATUS_NOT_SUPPORTED, childStatus.get(), "an inherited 32-bit debugger's port refuses a 64-bit child");
        EProcess wow = startPlain(SimProgram.of("w83c", g -> g.waitFor("w83c.end")).withTraits(ProcessTraits.wow64I386()));
        assertTrue(k32.debugActiveProcess((int) wow.pid()), () -> "attach to a WoW64 process: error " + k32.getLastError());
        f.machine.signal("t83.end");
        f.machine.signal("w83c.end");
        assertEquals(0, SimDebugFixture.awaitExit(target));
        runToExit(k32, (int) wow.pid());
    }

    @Test
    void s15_84_attachingToAProtectedProcessFromAnUnprotectedDebuggerFails() {
        EProcess target = startPlain(SimProgram.of("t84", g -> g.waitFor("t84.end")).withTraits(ProcessTraits.protectedAt(1)));
        assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().connectToDbg());
        Handle h = f.k32.openProcess(AccessMask.PROCESS_SUSPEND_RESUME, (int) target.pid());
        assertFalse(h.isNull(), "PROCESS_SUSPEND_RESUME may be opened on a protected process");
        assertEquals(NtStatus.STATUS_PROCESS_IS_PROTECTED,
                f.dbgk.attach().debugActiveProcess(f.debuggerThread, ProcessorMode.USER, h, f.k32.dbgUi().getThreadDebugObject()));
        assertEquals(null, target.debugPort());
        assertFalse(f.k32.debugActiveProcess((int) target.pid()), "nor through DebugActiveProcess");

        // A debugger at the same protection level may attach.
        EThread protectedDebugger = f.machine.createHostThread("pdbg.exe", ProcessTraits.protectedAt(1));
        Kernel32 pk32 = new Kernel32(f.dbgk, protectedDebugger);
        assertTrue(pk32.debugActiveProcess((int) target.pid()), () -> "error " + pk32.getLastError());
        f.machine.signal("t84.end");
        runToExit(pk32, (int) target.pid());
    }

    @Test
    void s15_84_anUnprotectedDebuggerCannotCreateAProtectedDebuggee() {
        int before = f.kernel.clientIds().allProcesses().size();
        UserPointer<ProcessInformation> info = UserPointer.empty();
        SimProgram protectedProgram = SimProgram.of("p84", g -> { }).withTraits(ProcessTraits.protectedAt(1));
        assertFalse(f.k32.createProcess(protectedProgram, DEBUG_PROCESS, info));
        assertEquals(Win32Error.ERROR_PROCESS_IS_PROTECTED, f.k32.getLastError());
        assertEquals(before, f.kernel.clientIds().allProcesses().size(), "no process was created");
        assertTrue(f.k32.createProcess(protectedProgram, 0, info), "without DEBUG_PROCESS it may be created");
        assertEquals(Kernel32.WAIT_OBJECT_0, f.k32.waitForSingleObject(info.get().process(), SimDebugFixture.TIMEOUT_MS));
        UserPointer<Integer> code = UserPointer.of(-1);
        assertTrue(f.k32.getExitCodeProcess(info.get().process(), code));
        assertEquals(0, code.get());
    }
}
