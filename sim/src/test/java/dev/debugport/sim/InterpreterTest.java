package dev.debugport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ps.EProcess;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.memory.PageProtection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InterpreterTest extends SimTestBase {
    /** nop; int3; nop; nop; ret. */
    private static final byte[] CODE = {(byte) 0x90, (byte) 0xCC, (byte) 0x90, (byte) 0x90, (byte) 0xC3};

    private static long loadCode(GuestApi g, byte[] code) {
        long at = g.allocate(0x1000, PageProtection.PAGE_EXECUTE_READWRITE);
        g.write(at, code);
        return at;
    }

    @Test
    void anInt3WithNoDebuggerAndNoHandlerKillsTheProcessWith80000003() {
        EProcess p = start(SimProgram.of("int3", g -> g.execute(loadCode(g, CODE), 100))).process();
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), exitCodeOf(p));
    }

    @Test
    void aHandlerThatContinuesResumesAfterTheInt3() {
        AtomicLong base = new AtomicLong();
        AtomicLong stoppedAt = new AtomicLong();
        List<Long> seen = new CopyOnWriteArrayList<>();
        EProcess p = start(SimProgram.of("int3h", g -> {
            base.set(loadCode(g, CODE));
            g.tryExcept(x -> stoppedAt.set(x.execute(base.get(), 100)), ptrs -> {
                seen.add(ptrs.record().address());
                seen.add(ptrs.context().rip());
                seen.add(ptrs.record().info(0));
                ptrs.setContext(ptrs.context().withRip(ptrs.context().rip() + 1));
                return ExceptionDisposition.CONTINUE_EXECUTION;
            });
        })).process();
        assertEquals(0, exitCodeOf(p));
        assertEquals(List.of(base.get() + 1, base.get() + 1, 0L), seen,
                "ExceptionAddress = int3, and handlers see Rip backed up onto the int3 (KiDispatchException)");
        assertEquals(base.get() + 4, stoppedAt.get());
    }

    @Test
    void aDebuggerSeesTheInt3AndRipPastItAndItsContinueResumes() {
        RecordingHooks hooks = installRecordingHooks();
        hooks.onDebugPortException = call -> CompletableFuture.completedFuture(true);
        AtomicLong base = new AtomicLong();
        AtomicLong stoppedAt = new AtomicLong();
        EProcess p = start(SimProgram.of("int3d", g -> {
            base.set(loadCode(g, CODE));
            stoppedAt.set(g.execute(base.get(), 100));
        })).process();
        assertEquals(0, exitCodeOf(p));
        RecordingHooks.ExceptionCall bp = hooks.debugPortExceptions(NtStatus.STATUS_BREAKPOINT.value()).getFirst();
        assertEquals(base.get() + 1, bp.record().address());
        assertEquals(base.get() + 2, bp.context().rip());
        assertEquals(base.get() + 4, stoppedAt.get());
    }

    @Test
    void aDebuggerThatRestoresTheByteAndMovesRipBackReExecutesIt() {
        RecordingHooks hooks = installRecordingHooks();
        hooks.onDebugPortException = call -> {
            SimThread st = SimPlatform.simThread(call.thread());
            long bp = call.record().address();
            call.thread().process().memory().write(bp, new byte[] {(byte) 0x90}, 0, 1);
            st.setContext(st.context().withRip(bp));
            return CompletableFuture.completedFuture(true);
        };
        AtomicLong stoppedAt = new AtomicLong();
        AtomicLong base = new AtomicLong();
        EProcess p = start(SimProgram.of("restore", g -> {
            base.set(loadCode(g, CODE));
            stoppedAt.set(g.execute(base.get(), 100));
        })).process();
        assertEquals(0, exitCodeOf(p));
        assertEquals(1, hooks.debugPortExceptions(NtStatus.STATUS_BREAKPOINT.value()).size());
        assertEquals(base.get() + 4, stoppedAt.get());
    }

    @Test
    void setThreadContextDuringTheEventTakesEffectWhenTheThreadResumes() throws Exception {
        RecordingHooks hooks = installRecordingHooks();
        BlockingQueue<CompletableFuture<Boolean>> pending = new LinkedBlockingQueue<>();
        BlockingQueue<RecordingHooks.ExceptionCall> calls = new LinkedBlockingQueue<>();
        hooks.onDebugPortException = call -> {
            CompletableFuture<Boolean> reply = new CompletableFuture<>();
            calls.add(call);
            pending.add(reply);
            return reply;
        };
        AtomicLong stoppedAt = new AtomicLong();
        // int3; nop x 6; ret at +7 ... and a second ret at +3 the debugger jumps to.
        byte[] code = {(byte) 0xCC, (byte) 0x90, (byte) 0x90, (byte) 0xC3, (byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0xC3};
        EProcess p = start(SimProgram.of("setctx", g -> stoppedAt.set(g.execute(loadCode(g, code), 100)))).process();
        RecordingHooks.ExceptionCall call = calls.poll(10, TimeUnit.SECONDS);
        CompletableFuture<Boolean> reply = pending.poll(10, TimeUnit.SECONDS);
        long bp = call.record().address();
        awaitState(call.thread(), SimThreadState.IN_KERNEL);
        Amd64Context ctx = machine.platform().getContext(call.thread());
        assertEquals(bp + 1, ctx.rip());
        assertEquals(NtStatus.STATUS_SUCCESS, machine.platform().setContext(call.thread(), ctx.withRip(bp + 3)));
        reply.complete(true);
        assertEquals(0, exitCodeOf(p));
        assertEquals(bp + 3, stoppedAt.get(), "resumed at the RET the debugger chose");
    }

    @Test
    void aDebuggerSettingTheTrapFlagGetsASingleStepAtTheNextInstruction() {
        RecordingHooks hooks = installRecordingHooks();
        hooks.onDebugPortException = call -> {
            if (call.record().code() == NtStatus.STATUS_BREAKPOINT.value()) {
                SimThread st = SimPlatform.simThread(call.thread());
                st.setContext(st.context().withTrapFlag(true));
            }
            return CompletableFuture.completedFuture(true);
        };
        AtomicLong base = new AtomicLong();
        EProcess p = start(SimProgram.of("step", g -> {
            base.set(loadCode(g, CODE));
            g.execute(base.get(), 100);
        })).process();
        assertEquals(0, exitCodeOf(p));
        List<RecordingHooks.ExceptionCall> steps = hooks.debugPortExceptions(NtStatus.STATUS_SINGLE_STEP.value());
        assertEquals(1, steps.size(), "TF is cleared after one step");
        assertEquals(base.get() + 3, steps.getFirst().record().address());
        assertEquals(base.get() + 3, steps.getFirst().context().rip());
        assertFalse(steps.getFirst().context().trapFlag());
    }

    @Test
    void fetchingFromNonExecutableMemoryIsAnExecuteFault() {
        List<Long> info = new CopyOnWriteArrayList<>();
        AtomicLong data = new AtomicLong();
        EProcess p = start(SimProgram.of("dep", g -> {
            data.set(g.allocate(0x1000, PageProtection.PAGE_READWRITE));
            g.tryExcept(x -> x.execute(data.get(), 10), ptrs -> {
                info.addAll(ptrs.record().information());
                info.add(ptrs.record().address());
                return ExceptionDisposition.EXECUTE_HANDLER;
            });
        })).process();
        assertEquals(0, exitCodeOf(p));
        assertEquals(List.of(8L, data.get(), data.get()), info);
    }

    @Test
    void aJumpToItselfRunsOutOfInstructionsInsteadOfHanging() {
        AtomicLong base = new AtomicLong();
        AtomicLong stoppedAt = new AtomicLong();
        EProcess p = start(SimProgram.of("spin", g -> {
            base.set(loadCode(g, new byte[] {(byte) 0x90, (byte) 0xEB, (byte) 0xFE}));
            stoppedAt.set(g.execute(base.get(), 50));
        })).process();
        assertEquals(0, exitCodeOf(p));
        assertEquals(base.get() + 1, stoppedAt.get());
    }

    @Test
    void aGuestCanSingleStepItselfWithItsOwnHandler() {
        List<Long> steps = new CopyOnWriteArrayList<>();
        AtomicLong base = new AtomicLong();
        EProcess p = start(SimProgram.of("selfstep", g -> {
            base.set(loadCode(g, new byte[] {(byte) 0x90, (byte) 0x90, (byte) 0xC3}));
            g.setContext(g.context().withTrapFlag(true));
            g.tryExcept(x -> x.execute(base.get(), 10), ptrs -> {
                steps.add(ptrs.record().address());
                return ExceptionDisposition.CONTINUE_EXECUTION;
            });
        })).process();
        assertEquals(0, exitCodeOf(p));
        assertEquals(List.of(base.get() + 1), steps);
    }

    /** DR7 with slot {@code slot} locally enabled, R/W {@code rw} and LEN {@code len}. */
    static long dr7(int slot, int rw, int len) {
        return (1L << (2 * slot)) | ((long) rw << (16 + 4 * slot)) | ((long) len << (18 + 4 * slot));
    }

    @Test
    void anExecuteBreakpointFaultsBeforeTheInstructionAndRfLetsItRunOnce() {
        AtomicLong base = new AtomicLong();
        AtomicLong stoppedAt = new AtomicLong();
        AtomicLong flagsAfter = new AtomicLong();
        List<Long> seen = new CopyOnWriteArrayList<>();
        // nop; nop; nop; ret with an execute breakpoint in slot 2 on the second nop
        EProcess p = start(SimProgram.of("drx", g -> {
            base.set(loadCode(g, new byte[] {(byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0xC3}));
            g.setContext(g.context().with(Amd64Register.DR2, base.get() + 1).with(Amd64Register.DR7, dr7(2, 0b00, 0b00)));
            g.tryExcept(x -> stoppedAt.set(x.execute(base.get(), 100)), ptrs -> {
                seen.add((long) ptrs.record().code());
                seen.add(ptrs.record().address());
                seen.add(ptrs.context().rip());
                seen.add(ptrs.context().get(Amd64Register.DR6) & 0xF);
                ptrs.setContext(ptrs.context().withResumeFlag(true));
                return ExceptionDisposition.CONTINUE_EXECUTION;
            });
            flagsAfter.set(g.context().eflags());
        })).process();
        assertEquals(0, exitCodeOf(p));
        long single = NtStatus.STATUS_SINGLE_STEP.value();
        assertEquals(List.of(single, base.get() + 1, base.get() + 1, 0b100L), seen, "one fault, at the instruction, slot 2 in DR6");
        assertEquals(base.get() + 3, stoppedAt.get(), "RF let the nop run");
        assertEquals(0, flagsAfter.get() & Amd64Context.EFLAGS_RESUME_FLAG, "RF is clear after the instruction");
    }

    @Test
    void disabledSlotsAndDataSlotsDoNotFireOnExecution() {
        AtomicLong stoppedAt = new AtomicLong();
        EProcess p = start(SimProgram.of("drx-off", g -> {
            long code = loadCode(g, new byte[] {(byte) 0x90, (byte) 0x90, (byte) 0xC3});
            // slot 0 on the code but not enabled; slot 1 a read/write watch over the code
            g.setContext(g.context().with(Amd64Register.DR0, code).with(Amd64Register.DR1, code)
                    .with(Amd64Register.DR7, dr7(1, 0b11, 0b11)));
            stoppedAt.set(g.execute(code, 100) - code);
        })).process();
        assertEquals(0, exitCodeOf(p), "no exception: fetches do not fire data breakpoints");
        assertEquals(2, stoppedAt.get());
    }

    @Test
    void aWatchedStoreTrapsAfterTheDataIsWrittenAndALoadFiresOnlyReadWriteSlots() {
        AtomicLong data = new AtomicLong();
        List<Long> seen = new CopyOnWriteArrayList<>();
        List<Byte> stored = new CopyOnWriteArrayList<>();
        EProcess p = start(SimProgram.of("watch", g -> {
            data.set(g.allocate(0x1000, PageProtection.PAGE_READWRITE));
            // slot 0: write watch on 4 bytes at +8 (given unaligned: the CPU ignores the low bits); slot 3: read/write on 8 at +16
            g.setContext(g.context().with(Amd64Register.DR0, data.get() + 9).with(Amd64Register.DR3, data.get() + 16)
                    .with(Amd64Register.DR7, dr7(0, 0b01, 0b11) | dr7(3, 0b11, 0b10)));
            g.addVectoredHandler(ptrs -> {
                if (ptrs.record().code() != NtStatus.STATUS_SINGLE_STEP.value()) {
                    return ExceptionDisposition.CONTINUE_SEARCH;
                }
                seen.add(ptrs.context().get(Amd64Register.DR6) & 0xF);
                byte[] b = new byte[1];
                g.simProcess().memory().read(data.get() + 11, b, 0, 1);
                stored.add(b[0]);
                return ExceptionDisposition.CONTINUE_EXECUTION;
            });
            g.write(data.get() + 4, new byte[4]);         // below both: nothing
            g.write(data.get() + 11, new byte[] {0x5A});  // slot 0
            g.read(data.get() + 8, 4);                    // a load: slot 0 is write-only
            g.read(data.get() + 12, 8);                   // overlaps slot 3
            g.write(data.get() + 8, new byte[16]);        // both
        })).process();
        assertEquals(0, exitCodeOf(p));
        assertEquals(List.of(0b0001L, 0b1000L, 0b1001L), seen);
        assertEquals((byte) 0x5A, stored.get(0), "the trap comes after the store");
    }
}
