package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.SimProgram;
import dev.debugport.sim.memory.PageProtection;
import dev.debugport.win32.ProcessInformation;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Hardware breakpoints a debugger programs through SetThreadContext's debug registers (DR0-DR3, DR7), as on an
 * x86-64 CPU: an execute breakpoint is a fault before the instruction (passed with EFLAGS.RF), a data breakpoint a
 * trap after the access; both arrive as STATUS_SINGLE_STEP with DR6 B0-B3 naming the slot.
 */
class HardwareBreakpointScenariosTest extends LifecycleTestBase {
    /** DR7 with slot {@code slot} locally enabled, R/W {@code rw} and LEN {@code len}. */
    private static long dr7(int slot, int rw, int len) {
        return (1L << (2 * slot)) | ((long) rw << (16 + 4 * slot)) | ((long) len << (18 + 4 * slot));
    }

    /** Waits for the program's int3 (where the test arms the debug registers) and returns its event, not continued. */
    private DebugEvent programInt3() {
        DebugEvent e = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), exceptionCode(e));
        return e;
    }

    private DebugEvent nextSingleStep() {
        DebugEvent e = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_SINGLE_STEP.value(), exceptionCode(e));
        assertTrue(exception(e).firstChance());
        return e;
    }

    @Test
    void anExecuteBreakpointStopsBeforeTheInstructionEveryTimeAndRfPassesItOnce() {
        AtomicLong code = new AtomicLong();
        AtomicLong stoppedAt = new AtomicLong();
        // 0: int3; 1: nop; 2: nop; 3: ret, run twice; at the first int3 the debugger watches +2 in slot 1
        ProcessInformation pi = launch(SimProgram.of("hwx", g -> {
            code.set(ExceptionScenariosTest.loadCode(g, 0xCC, 0x90, 0x90, 0xC3));
            g.execute(code.get(), 10);
            stoppedAt.set(g.execute(code.get(), 10));
        }));
        Handle thread = mainThreadHandle();
        passInitialBreakpoint();
        DebugEvent int3 = programInt3();
        Amd64Context armed = context(thread).with(Amd64Register.DR1, code.get() + 2).with(Amd64Register.DR7, dr7(1, 0b00, 0b00));
        assertTrue(f.k32.setThreadContext(thread, armed));
        f.resume(int3);
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1) {
                f.resume(programInt3());
            }
            DebugEvent hit = nextSingleStep();
            Amd64Context at = context(thread);
            assertEquals(code.get() + 2, exception(hit).exceptionRecord().address(), "ExceptionAddress = the instruction");
            assertEquals(code.get() + 2, at.rip(), "a fault: Rip still on the instruction");
            assertEquals(0b10, at.get(Amd64Register.DR6) & 0xF, "DR6.B1");
            assertTrue(f.k32.setThreadContext(thread, at.withResumeFlag(true)));
            f.resume(hit);
        }
        assertEquals(0, f.runToExit(pi.processId()));
        assertEquals(code.get() + 3, stoppedAt.get());
    }

    @Test
    void aWriteWatchTrapsAfterTheStoreAndAReadWatchAlsoOnLoads() {
        AtomicLong data = new AtomicLong();
        AtomicLong readBack = new AtomicLong();
        ProcessInformation pi = launch(SimProgram.of("hww", g -> {
            data.set(g.allocate(0x1000, PageProtection.PAGE_READWRITE));
            g.execute(ExceptionScenariosTest.loadCode(g, 0xCC, 0xC3), 10);
            g.write(data.get() + 0x10, new byte[] {1, 2, 3, 4});   // slot 0 (write) and slot 2 (read/write)
            readBack.set(g.read(data.get() + 0x10, 4)[0]);         // slot 2 only
            g.write(data.get() + 0x40, new byte[] {9});             // watched by neither
        }));
        Handle thread = mainThreadHandle();
        passInitialBreakpoint();
        DebugEvent int3 = programInt3();
        Amd64Context armed = context(thread)
                .with(Amd64Register.DR0, data.get() + 0x10).with(Amd64Register.DR2, data.get() + 0x12)
                .with(Amd64Register.DR7, dr7(0, 0b01, 0b11) | dr7(2, 0b11, 0b00));
        assertTrue(f.k32.setThreadContext(thread, armed));
        f.resume(int3);

        DebugEvent store = nextSingleStep();
        assertEquals(0b101, context(thread).get(Amd64Register.DR6) & 0xF, "DR6.B0 and B2");
        assertEquals(3, read(pi.process(), data.get() + 0x12, 1)[0], "a trap: the store is done");
        assertEquals(exception(store).exceptionRecord().address(), context(thread).rip());
        f.resume(store);

        DebugEvent load = nextSingleStep();
        assertEquals(0b100, context(thread).get(Amd64Register.DR6) & 0xF, "only the read/write slot fires on a load");
        f.resume(load);
        assertEquals(0, f.runToExit(pi.processId()));
        assertEquals(1, readBack.get());
    }
}
