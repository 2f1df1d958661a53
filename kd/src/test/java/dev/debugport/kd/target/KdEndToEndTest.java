package dev.debugport.kd.target;

import static dev.debugport.kd.target.SimKdFixture.await;
import static dev.debugport.kd.target.SimKdFixture.stop;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kd.host.KdHostClient;
import dev.debugport.kd.host.KdModule;
import dev.debugport.kd.host.KdProcessInfo;
import dev.debugport.kd.host.KdStateChange;
import dev.debugport.kd.host.KdTargetInfo;
import dev.debugport.kd.layout.Win7Amd64;
import dev.debugport.kd.message.GetVersion;
import dev.debugport.kernel.KernelDebuggerState;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.SimThreadState;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Our host against our target on the simulated platform, over loopback TCP. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KdEndToEndTest {
    private SimKdFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new SimKdFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    @Test
    void connectStopsTheWholeMachineAndReportsAWindows7Kernel() throws Exception {
        KernelDebuggerState flags = f.machine.kernel().kernelDebuggerState();
        assertTrue(flags.kdDebuggerEnabled());
        assertTrue(flags.kdDebuggerNotPresent(), "no host on the port yet");
        assertFalse(flags.kdEnteredDebugger());
        try (KdHostClient host = f.connect()) {
            assertTrue(host.isStopped());
            KdStateChange stop = host.currentStop();
            assertTrue(stop.isException(NtStatus.STATUS_BREAKPOINT), "a break-in is a breakpoint stop");
            assertFalse(flags.kdDebuggerNotPresent());
            assertTrue(flags.kdEnteredDebugger());
            assertEquals(KernelDebuggerState.SHARED_KD_ENABLED | KernelDebuggerState.SHARED_KD_PRESENT,
                    flags.sharedUserDataKdDebuggerEnabled());
            assertTrue(f.kd.isInDebugger());
            assertTrue(f.machine.awaitThreadState(f.guest.threads().getFirst(), SimThreadState.PARKED, SimKdFixture.WAIT),
                    "the guest is frozen");
            long frozenAt = f.iterations.get();

            GetVersion v = host.version();
            assertEquals(7601, v.minorVersion());
            assertEquals(0x000F, v.majorVersion());
            assertEquals(0x8664, v.machineType());
            assertEquals(KdKernelLayout.KERN_BASE, v.kernBase());
            KdTargetInfo info = new KdTargetInfo(host);
            assertTrue(info.debuggerDataBlock().isPresent());
            assertEquals(1, info.servicePack().orElseThrow());
            assertEquals(Win7Amd64.BUILD_LAB, info.buildLab().orElseThrow());
            List<KdModule> modules = info.kernelModules();
            assertEquals(List.of("ntoskrnl.exe", "hal.dll", "kdcom.dll"), modules.stream().map(KdModule::baseName).toList());
            List<KdProcessInfo> processes = info.processes();
            assertEquals(List.of("System", "services.exe", "kdtest.exe"), processes.stream().map(KdProcessInfo::imageName).toList());
            assertEquals(4, processes.getFirst().pid());
            assertEquals(f.guest.pid(), processes.get(2).pid());
            long eprocess = info.processOfThread(stop.thread());
            assertEquals(processes.get(2).eprocess(), eprocess, "the break-in stopped in the guest's thread");
            assertTrue(info.userModules(eprocess).stream().anyMatch(m -> m.baseName().equals("kdtest.exe")));
            assertArrayEquals(new byte[] {'M', 'Z'}, host.readVirtual(v.kernBase(), 2));
            assertEquals(frozenAt, f.iterations.get(), "nothing ran while stopped");

            host.go();
            await(() -> f.iterations.get() > frozenAt + 10, "the guest runs again");
            assertFalse(f.kd.isInDebugger());
        }
    }

    @Test
    void registersMemoryBreakpointStepAndDbgPrint() throws Exception {
        try (KdHostClient host = f.connect()) {
            long code = f.codeAddress.get();
            Amd64Context ctx = host.getContext();
            assertTrue(ctx.rip() >= code && ctx.rip() <= code + 8, "Rip in the guest's code: " + Long.toHexString(ctx.rip()));
            assertArrayEquals(SimKdFixture.loopCode(), host.readVirtual(code, SimKdFixture.loopCode().length));

            // Memory writes reach the process; register writes reach the thread.
            assertEquals(4, host.writeVirtual(code + 0x100, new byte[] {1, 2, 3, 4}));
            assertArrayEquals(new byte[] {1, 2, 3, 4}, host.readVirtual(code + 0x100, 4));
            assertEquals(NtStatus.STATUS_SUCCESS, host.setContext(ctx.with(Amd64Register.R12, 0x1234)));
            assertEquals(0x1234, host.getContext().get(Amd64Register.R12));

            // bp + g hitting it.
            int handle = host.writeBreakpoint(code + 2);
            assertNotEquals(0, handle);
            assertEquals(0xCC, f.guest.memory() == null ? -1 : readGuestByte(code + 2));
            host.go();
            KdStateChange hit = stop(host);
            assertTrue(hit.isException(NtStatus.STATUS_BREAKPOINT));
            assertEquals(code + 2, hit.pc());
            assertEquals(0x90, hit.instructionStream().getUnsigned(0), "the report shows the original byte");
            assertEquals(0x90, readGuestByte(code + 2), "the engine removed its breakpoint in the reported range");
            assertEquals(code + 2, host.getContext().rip(), "Rip on the int3");
            assertEquals(0x1234, host.getContext().get(Amd64Register.R12), "the register write went to the thread");

            // t: one instruction.
            host.step();
            KdStateChange step = stop(host);
            assertTrue(step.isException(NtStatus.STATUS_SINGLE_STEP));
            assertEquals(code + 3, step.pc());
            assertFalse(host.getContext().trapFlag(), "the trap flag was used up by the step");

            // DbgPrint arrives while the target runs.
            f.printRequest.set(true);
            host.go();
            await(() -> f.prints.contains("hello from kdtest\n"), "the DbgPrint reached the host");
        }
    }

    /**
     * {@code t} after {@code t} walks the guest's loop one instruction at a time, its closing jump included (which
     * reports the step at the jump's target): a step stops from every instruction a break-in can land on.
     */
    @Test
    void stepsWalkTheWholeLoop() throws Exception {
        try (KdHostClient host = f.connect()) {
            long code = f.codeAddress.get();
            long jump = code + 7;
            host.step();
            long pc = stop(host).pc(); // from here the guest is inside the loop, on the instruction at pc
            for (int i = 0; i < 8; i++) { // the loop's eight instructions, each once
                long from = pc;
                host.step();
                KdStateChange step = stop(host);
                assertTrue(step.isException(NtStatus.STATUS_SINGLE_STEP), "a single step from +" + (from - code));
                pc = step.pc();
                assertEquals(from == jump ? code : from + 1, pc, "the step from +" + (from - code));
            }
            host.go();
        }
    }

    private int readGuestByte(long address) {
        byte[] b = new byte[1];
        return f.guest.memory().read(address, b, 0, 1) == 1 ? b[0] & 0xFF : -1;
    }

    @Test
    void aHostThatDisconnectsLeavesTheMachineRunningAndANewHostCanConnect() throws Exception {
        KernelDebuggerState flags = f.machine.kernel().kernelDebuggerState();
        try (KdHostClient host = f.connect()) {
            host.writeBreakpoint(f.codeAddress.get() + 1);
            assertEquals(1, f.kd.breakpointCount());
            assertFalse(flags.kdDebuggerNotPresent());
        } // disconnects while the target is stopped
        await(flags::kdDebuggerNotPresent, "KdDebuggerNotPresent is TRUE again");
        await(() -> !f.kd.isInDebugger(), "the stop ended");
        await(() -> f.kd.breakpointCount() == 0, "the lost host's breakpoints are gone");
        long before = f.iterations.get();
        await(() -> f.iterations.get() > before + 10, "the machine keeps running");
        assertEquals(0x90, readGuestByte(f.codeAddress.get() + 1));

        try (KdHostClient again = f.connect()) {
            assertTrue(again.isStopped());
            assertFalse(flags.kdDebuggerNotPresent());
            again.go();
        }
        await(flags::kdDebuggerNotPresent, "KdDebuggerNotPresent is TRUE after the second host left");
    }
    /**
     * The traps the kernel debugger made itself (the single step of the host's t, an int3 of its breakpoint table)
     * end as handled when the host leaves during their stop: the program never asked for them, and delivering them
     * to it as unhandled exceptions would kill it.
     */
    @Test
    void aHostThatLeavesAtItsOwnStepOrBreakpointLeavesTheProgramRunning() throws Exception {
        KernelDebuggerState flags = f.machine.kernel().kernelDebuggerState();
        long code = f.codeAddress.get();
        try (KdHostClient host = f.connect()) {
            host.step();
            assertTrue(stop(host).isException(NtStatus.STATUS_SINGLE_STEP));
        } // leaves at the step's stop
        await(flags::kdDebuggerNotPresent, "the host is gone");
        long afterStep = f.iterations.get();
        await(() -> f.iterations.get() > afterStep + 10, "the program runs on after the step");

        try (KdHostClient host = f.connect()) {
            host.writeBreakpoint(code + 2);
            host.go();
            KdStateChange hit = stop(host);
            assertTrue(hit.isException(NtStatus.STATUS_BREAKPOINT));
            assertEquals(code + 2, hit.pc());
        } // leaves at the breakpoint's stop
        await(flags::kdDebuggerNotPresent, "the second host is gone");
        long afterHit = f.iterations.get();
        await(() -> f.iterations.get() > afterHit + 10, "the program runs on after the breakpoint");
        assertEquals(0x90, readGuestByte(code + 2), "the breakpoint's byte is back");
        assertFalse(f.guest.hasExited(), "no unhandled trap ended the program");
    }
}
