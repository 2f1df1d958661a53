package dev.debugport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ps.EProcess;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.programs.BuiltInPrograms;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BuiltInProgramsTest extends SimTestBase {
    @Test
    void crashDiesWithAnAccessViolationAfterFirstAndSecondChance() {
        RecordingHooks hooks = installRecordingHooks();
        EProcess p = start(BuiltInPrograms.crash()).process();
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), exitCodeOf(p));
        List<RecordingHooks.ExceptionCall> avs = hooks.debugPortExceptions(NtStatus.STATUS_ACCESS_VIOLATION.value());
        assertEquals(2, avs.size());
        assertEquals(List.of(0L, BuiltInPrograms.CRASH_ADDRESS), avs.getFirst().record().information());
        assertFalse(avs.get(0).secondChance());
        assertTrue(avs.get(1).secondChance());
    }

    @Test
    void modulesLoadsTwoUnloadsOneAndItsThreadsExitWithDistinctCodes() {
        RecordingHooks hooks = installRecordingHooks();
        EProcess p = start(BuiltInPrograms.modules()).process();
        assertEquals(BuiltInPrograms.MODULES_MAIN_EXIT, exitCodeOf(p));
        assertEquals(List.of("map kernel32.dll", "map KernelBase.dll", "map user32.dll", "map alpha.dll", "map beta.dll"),
                hooks.log.stream().filter(s -> s.startsWith("map")).toList());
        assertEquals(1, hooks.unmaps.size());
        List<String> exits = hooks.log.stream().filter(s -> s.startsWith("exit")).toList();
        assertEquals(3, exits.size());
        assertTrue(exits.get(0).endsWith(" 11") && exits.get(1).endsWith(" 22"), exits::toString);
        assertEquals("exitProcess " + p.threads().getFirst().tid() + " 33", exits.get(2));
    }

    @Test
    void stringsSendsBothStringsAndARipThenHandlesItsOwnException() {
        RecordingHooks hooks = installRecordingHooks();
        EProcess p = start(BuiltInPrograms.strings()).process();
        assertEquals(0, exitCodeOf(p));
        assertEquals(List.of("exception 40010006 first", "exception 4001000a first", "exception 40010006 first",
                        "exception 40010007 first", "exception e0000001 first"),
                hooks.log.stream().filter(s -> s.startsWith("exception ")).toList());
    }

    @Test
    void loopIdlesUntilSignalledThenExitsWithZero() {
        EProcess p = start(BuiltInPrograms.loop()).process();
        assertTrue(machine.awaitSignal(BuiltInPrograms.LOOP_READY_SIGNAL, TIMEOUT));
        assertEquals(2, p.threads().size());
        awaitState(p.threads().get(0), SimThreadState.WAITING);
        awaitState(p.threads().get(1), SimThreadState.WAITING);
        assertFalse(p.hasExited());
        machine.signal(BuiltInPrograms.LOOP_EXIT_SIGNAL);
        assertEquals(0, exitCodeOf(p));
    }

    @Test
    void breakpointCountsWhatItsOwnHandlerSaw() {
        assertEquals(2, exitCodeOf(start(BuiltInPrograms.breakpoint()).process()));
    }

    @Test
    void breakpointUnderADebuggerThatHandlesEverythingExitsWithZero() {
        RecordingHooks hooks = installRecordingHooks();
        hooks.onDebugPortException = call -> CompletableFuture.completedFuture(true);
        assertEquals(0, exitCodeOf(start(BuiltInPrograms.breakpoint()).process()));
        assertEquals(1, hooks.debugPortExceptions(NtStatus.STATUS_BREAKPOINT.value()).size());
        assertEquals(1, hooks.debugPortExceptions(NtStatus.STATUS_SINGLE_STEP.value()).size());
    }

    @Test
    void programsAreFoundByName() {
        assertEquals(List.of("breakpoint", "crash", "loop", "modules", "strings"), List.copyOf(BuiltInPrograms.all().keySet()));
        assertEquals("crash", BuiltInPrograms.byName("CRASH.exe").orElseThrow().name());
        assertTrue(BuiltInPrograms.byName("nope").isEmpty());
    }
}
