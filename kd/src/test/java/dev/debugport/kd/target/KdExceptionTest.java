package dev.debugport.kd.target;

import static dev.debugport.kd.target.SimKdFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kd.host.KdHostClient;
import dev.debugport.kd.host.KdStateChange;
import dev.debugport.kd.transport.InMemoryConnection;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.SimMachine;
import dev.debugport.sim.SimProgram;
import dev.debugport.sim.programs.BuiltInPrograms;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * KdpTrap / KdpReport on the simulated machine: user-mode exceptions of processes without a user-mode debugger reach
 * the kernel debugger first; what the host answers decides whether the program's own handlers see them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KdExceptionTest {
    private static final Duration WAIT = SimKdFixture.WAIT;

    private final SimMachine machine = SimMachine.create();
    private final EThread creator = machine.createHostThread("services.exe");
    private KdTarget kd;
    private KdHostClient host;

    @AfterEach
    void tearDown() {
        if (host != null) {
            host.close();
        }
        if (kd != null) {
            kd.close();
        }
        machine.terminateAllGuests(0, WAIT);
    }

    private void installWithHost(KdTargetConfig config) {
        kd = KdTarget.install(machine.kernel(), config);
        InMemoryConnection.Pair pair = InMemoryConnection.pair();
        kd.attach(pair.first());
        host = KdHostClient.connect(pair.second(), KdHostClient.Options.defaults());
        host.clearPendingStops();
        host.go();
    }

    private EProcess start(SimProgram program) {
        return machine.createProcess(creator, program).value().process();
    }

    private KdStateChange nextStop() {
        KdStateChange s = host.waitForStateChange(WAIT);
        assertNotNull(s, "the target stopped");
        return s;
    }

    @Test
    void withoutAHostTheProgramHandlesItsOwnBreakpointAndStep() {
        kd = KdTarget.install(machine.kernel(), KdTargetConfig.defaults());
        EProcess p = start(BuiltInPrograms.breakpoint());
        assertTrue(SimMachine.awaitExit(p, WAIT));
        assertEquals(2, p.exitStatus(), "both reached the program's handler");
        assertFalse(machine.kernel().kernelDebuggerState().kdEnteredDebugger());
    }

    @Test
    void notHandledByTheHostGoesOnToTheProgramsHandlers() {
        installWithHost(KdTargetConfig.defaults());
        EProcess p = start(BuiltInPrograms.breakpoint());
        KdStateChange bp = nextStop();
        assertTrue(bp.isException(NtStatus.STATUS_BREAKPOINT));
        assertEquals(0xCC, bp.instructionStream().getUnsigned(0), "a hard-coded int3");
        assertEquals(bp.pc(), host.getContext().rip(), "Rip on the int3, as KiDispatchException leaves it");
        long frozen = machine.kernel().machineRunState().freezeCount();
        assertEquals(1, frozen, "KeFreezeExecution while stopped");
        assertFalse(p.threads().getFirst().runState().runnable());
        assertFalse(creator.runState().runnable(), "every thread of the machine is frozen");
        host.continueExecution(NtStatus.DBG_EXCEPTION_NOT_HANDLED, false);

        KdStateChange step = nextStop(); // the program set the trap flag itself
        assertTrue(step.isException(NtStatus.STATUS_SINGLE_STEP));
        assertEquals(bp.pc() + 2, step.pc(), "after the nop at int3 + 1");
        host.continueExecution(NtStatus.DBG_EXCEPTION_NOT_HANDLED, false);

        assertTrue(SimMachine.awaitExit(p, WAIT));
        assertEquals(2, p.exitStatus());
        assertEquals(0, machine.kernel().machineRunState().freezeCount());
        assertTrue(creator.runState().runnable());
    }

    @Test
    void handledByTheHostTheProgramNeverSeesThem() {
        installWithHost(KdTargetConfig.defaults());
        EProcess p = start(BuiltInPrograms.breakpoint());
        KdStateChange bp = nextStop();
        Amd64Context ctx = host.getContext();
        assertEquals(NtStatus.STATUS_SUCCESS, host.setContext(ctx.withRip(ctx.rip() + 1))); // step past the int3
        host.go();
        KdStateChange step = nextStop();
        assertTrue(step.isException(NtStatus.STATUS_SINGLE_STEP));
        host.go();
        assertTrue(SimMachine.awaitExit(p, WAIT));
        assertEquals(0, p.exitStatus(), "the kernel debugger handled both");
        assertTrue(bp.firstChance());
    }

    @Test
    void flgStopOnExceptionReportsFirstChanceFaults() {
        installWithHost(KdTargetConfig.defaults().withStopOnException(true));
        EProcess p = start(BuiltInPrograms.crash());
        KdStateChange av = nextStop();
        assertTrue(av.isException(NtStatus.STATUS_ACCESS_VIOLATION));
        assertTrue(av.firstChance());
        assertEquals(BuiltInPrograms.CRASH_ADDRESS, av.exception().orElseThrow().information(1));
        host.continueExecution(NtStatus.DBG_EXCEPTION_NOT_HANDLED, false);
        assertTrue(SimMachine.awaitExit(p, WAIT));
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), p.exitStatus());
    }

    @Test
    void withoutFlgStopOnExceptionFaultsAreNotReportedButDebugStringsArePrinted() {
        java.util.List<String> prints = new java.util.concurrent.CopyOnWriteArrayList<>();
        kd = KdTarget.install(machine.kernel(), KdTargetConfig.defaults());
        InMemoryConnection.Pair pair = InMemoryConnection.pair();
        kd.attach(pair.first());
        host = KdHostClient.connect(pair.second(), KdHostClient.Options.defaults()
                .withListener(new dev.debugport.kd.host.KdHostListener() {
                    @Override
                    public void onPrint(String text) {
                        prints.add(text);
                    }
                }));
        host.go();
        EProcess crash = start(BuiltInPrograms.crash());
        EProcess strings = start(BuiltInPrograms.strings());
        assertTrue(SimMachine.awaitExit(crash, WAIT));
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), crash.exitStatus());
        assertTrue(SimMachine.awaitExit(strings, WAIT));
        assertEquals(0, strings.exitStatus());
        await(() -> prints.contains("Hello from strings.exe (ANSI)") && prints.contains("Hello from strings.exe (wide)"),
                "OutputDebugString reached the host as DbgPrint");
        assertFalse(host.isStopped(), "nothing stopped the machine");
    }

    @Test
    void disablingTheDebuggerRemovesItsBreakpoints() {
        installWithHost(KdTargetConfig.defaults());
        host.breakIn();
        assertNotNull(host.waitForStateChange(WAIT));
        long where = dev.debugport.kd.target.KdKernelLayout.DBG_BREAK_POINT;
        int handle = host.writeBreakpoint(where);
        assertTrue(handle > 0);
        assertEquals(0xCC, host.readVirtual(where, 1)[0] & 0xFF);
        assertEquals(0, host.writeBreakpoint(where), "a second live breakpoint at the same address is refused");
        host.go();
        assertEquals(1, kd.breakpointCount());
        assertEquals(NtStatus.STATUS_SUCCESS, kd.disableDebugger());
        assertEquals(0, kd.breakpointCount());
        assertFalse(machine.kernel().kernelDebuggerState().kdDebuggerEnabled());
        assertEquals(NtStatus.STATUS_SUCCESS, kd.enableDebugger());
        host.breakIn();
        assertNotNull(host.waitForStateChange(WAIT), "enabled again: the break-in works");
        assertEquals(0xCC, host.readVirtual(where, 1)[0] & 0xFF, "the original byte (int 3) is back");
        host.go();
    }
}
