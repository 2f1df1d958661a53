package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ps.ProcessManager;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.SimProgram;
import dev.debugport.win32.MultiObjectDebugger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 002's "innovation": the debug object, not the debugger thread, holds the debuggees, so one thread serves
 * many processes over several objects, waiting on all of them at once.
 */
class OneThreadManyObjectsTest {
    private final SimDebugFixture f = new SimDebugFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    private static SimProgram worker(int exitCode) {
        return SimProgram.of("worker" + exitCode, g -> {
            g.outputDebugStringA("worker " + exitCode);
            g.exitProcess(exitCode);
        });
    }

    @Test
    void oneThreadServesProcessesOnTwoObjects() {
        MultiObjectDebugger debugger = new MultiObjectDebugger(f.dbgk, f.debuggerThread);
        Handle first = debugger.createDebugObject(true).value();
        Handle second = debugger.createDebugObject(true).value();
        Map<Integer, Handle> objectOf = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            Handle object = i % 2 == 0 ? first : second;
            NtResult<ProcessManager.CreatedProcess> p = debugger.createProcess(object, worker(10 + i), false);
            assertTrue(p.isSuccess(), p.status()::toString);
            objectOf.put((int) p.value().process().pid(), object);
        }
        Map<Integer, Integer> exitCodes = new HashMap<>();
        Set<Integer> strings = new HashSet<>();
        while (exitCodes.size() < 4) {
            NtResult<MultiObjectDebugger.Delivered> d = debugger.waitForDebugEvent(SimDebugFixture.TIMEOUT_MS);
            assertTrue(d.isSuccess(), d.status()::toString);
            var e = d.value().event();
            assertEquals(objectOf.get(e.processId()), d.value().debugObject(), "each event comes from its process's object");
            if (e.code() == DebugEventCode.OUTPUT_DEBUG_STRING_EVENT) {
                strings.add(e.processId());
            }
            if (e.info() instanceof DebugEventInfo.ExitProcessDebugInfo exit) {
                exitCodes.put(e.processId(), exit.exitCode());
            }
            assertEquals(NtStatus.STATUS_SUCCESS, debugger.continueDebugEvent(e.processId(), e.threadId(), NtStatus.DBG_CONTINUE));
        }
        assertEquals(objectOf.keySet(), strings);
        // Processes 0 and 2 (exit codes 10, 12) were on the first object, 1 and 3 (11, 13) on the second.
        objectOf.forEach((pid, object) -> assertEquals(object == first ? 0 : 1, exitCodes.get(pid) % 2));
    }

    @Test
    void closingOneObjectKillsOnlyItsDebuggees() {
        MultiObjectDebugger debugger = new MultiObjectDebugger(f.dbgk, f.debuggerThread);
        Handle killer = debugger.createDebugObject(true).value();
        Handle keeper = debugger.createDebugObject(false).value();
        SimProgram idle = SimProgram.of("idle", g -> {
            g.waitFor("go");
            g.exitProcess(7);
        });
        var killed = debugger.createProcess(killer, idle, false).value().process();
        var kept = debugger.createProcess(keeper, idle, false).value().process();
        assertEquals(NtStatus.STATUS_SUCCESS, debugger.closeDebugObject(killer));
        assertEquals(NtStatus.STATUS_DEBUGGER_INACTIVE.value(), SimDebugFixture.awaitExit(killed));
        assertTrue(kept.debugPort() != null, "the other object still debugs its process");
        f.machine.signal("go");
        int code = -1;
        while (code < 0) {
            NtResult<MultiObjectDebugger.Delivered> d = debugger.waitForDebugEvent(SimDebugFixture.TIMEOUT_MS);
            assertTrue(d.isSuccess(), d.status()::toString);
            var e = d.value().event();
            assertEquals(kept.pid(), Integer.toUnsignedLong(e.processId()));
            if (e.info() instanceof DebugEventInfo.ExitProcessDebugInfo exit) {
                code = exit.exitCode();
            }
            debugger.continueDebugEvent(e.processId(), e.threadId(), NtStatus.DBG_CONTINUE);
        }
        assertEquals(7, code);
    }
}
