package dev.debugport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ki.ExceptionDispatcher.Outcome;
import dev.debugport.kernel.mm.MemoryAccess;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.image.ImageLayout;
import dev.debugport.sim.memory.PageProtection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ExceptionTest extends SimTestBase {
    private static final int CODE = 0xE0000042;
    private static final long UNMAPPED = 0x10;

    @Test
    void anExceptionItsOwnHandlerHandlesLetsTheProgramGoOn() {
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        AtomicReference<ExceptionRecord> seen = new AtomicReference<>();
        EProcess p = start(SimProgram.of("handled", g -> {
            outcome.set(g.raiseException(CODE, 0, new long[] {1, 2}, ptrs -> {
                seen.set(ptrs.record());
                return ExceptionDisposition.EXECUTE_HANDLER;
            }));
            g.exitThread(3);
        })).process();
        assertEquals(3, exitCodeOf(p));
        assertEquals(Outcome.HANDLED_BY_PROGRAM, outcome.get());
        assertEquals(CODE, seen.get().code());
        assertEquals(List.of(1L, 2L), seen.get().information());
        assertEquals(p.image().base() + ImageLayout.RAISE_RETURN_RVA, seen.get().address());
    }

    @Test
    void anUnhandledExceptionKillsTheProcessWithItsCode() {
        RecordingHooks hooks = installRecordingHooks();
        EProcess p = start(SimProgram.of("unhandled", g -> {
            g.raiseException(CODE, 0, null, GuestHandler.CONTINUE_SEARCH);
            g.point("after.raise");
        })).process();
        assertEquals(CODE, exitCodeOf(p));
        assertEquals(0, machine.stopPoints().hits("after.raise"));
        assertEquals(List.of("exception e0000042 first", "exception e0000042 second", "exceptionPort e0000042 second"),
                hooks.log.stream().filter(s -> s.startsWith("exception")).toList());
    }

    @Test
    void vectoredHandlersRunBeforeSehFramesAndCanEndTheSearch() {
        List<String> order = new CopyOnWriteArrayList<>();
        EProcess p = start(SimProgram.of("veh", g -> {
            GuestHandler veh = ptrs -> {
                order.add("veh");
                return ptrs.record().information().isEmpty() ? ExceptionDisposition.CONTINUE_SEARCH : ExceptionDisposition.CONTINUE_EXECUTION;
            };
            g.addVectoredHandler(veh);
            g.tryExcept(x -> x.raiseException(CODE, 0, null, ptrs -> {
                order.add("inner");
                return ExceptionDisposition.CONTINUE_SEARCH;
            }), ptrs -> {
                order.add("outer");
                return ExceptionDisposition.EXECUTE_HANDLER;
            });
            order.add("--");
            Outcome o = g.raiseException(CODE, 0, new long[] {1}, GuestHandler.EXECUTE_HANDLER);
            order.add(o.name());
            assertTrue(g.removeVectoredHandler(veh));
        })).process();
        assertEquals(0, exitCodeOf(p));
        assertEquals(List.of("veh", "inner", "outer", "--", "veh", "HANDLED_BY_PROGRAM"), order);
    }

    @Test
    void aGuestReadOfUnmappedMemoryRaisesAnAccessViolationAtTheGuestCodeAddress() {
        AtomicReference<ExceptionRecord> seen = new AtomicReference<>();
        AtomicReference<Boolean> completed = new AtomicReference<>();
        EProcess p = start(SimProgram.of("av", g -> completed.set(g.tryExcept(x -> x.read(UNMAPPED, 4), ptrs -> {
            seen.set(ptrs.record());
            return ExceptionDisposition.EXECUTE_HANDLER;
        })))).process();
        assertEquals(0, exitCodeOf(p));
        assertFalse(completed.get());
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), seen.get().code());
        assertEquals(List.of(0L, UNMAPPED), seen.get().information());
        assertEquals(p.image().base() + ImageLayout.GUEST_CODE_RVA, seen.get().address());
    }

    @Test
    void aHandledAccessViolationRetriesTheAccess() {
        AtomicInteger faults = new AtomicInteger();
        AtomicReference<byte[]> value = new AtomicReference<>();
        EProcess p = start(SimProgram.of("retry", g -> {
            long page = g.allocate(0x1000, PageProtection.PAGE_NOACCESS);
            g.addVectoredHandler(ptrs -> {
                if (ptrs.record().code() != NtStatus.STATUS_ACCESS_VIOLATION.value()) {
                    return ExceptionDisposition.CONTINUE_SEARCH;
                }
                faults.incrementAndGet();
                g.protect(page, 0x1000, PageProtection.PAGE_READWRITE);
                return ExceptionDisposition.CONTINUE_EXECUTION;
            });
            g.write(page + 8, new byte[] {7});
            value.set(g.read(page + 8, 1));
        })).process();
        assertEquals(0, exitCodeOf(p));
        assertEquals(1, faults.get(), "the write faulted once, then succeeded on retry; the read did not fault");
        assertEquals(7, value.get()[0]);
    }

    @Test
    void writingReadOnlyMemoryIsAWriteFault() {
        AtomicReference<ExceptionRecord> seen = new AtomicReference<>();
        AtomicReference<Long> page = new AtomicReference<>();
        EProcess p = start(SimProgram.of("rofault", g -> {
            page.set(g.allocate(0x1000, PageProtection.PAGE_READONLY));
            g.tryExcept(x -> x.write(page.get() + 0x10, new byte[] {1}), ptrs -> {
                seen.set(ptrs.record());
                return ExceptionDisposition.EXECUTE_HANDLER;
            });
        })).process();
        assertEquals(0, exitCodeOf(p));
        assertEquals(List.of(1L, page.get() + 0x10), seen.get().information());
    }

    @Test
    void anUnhandledAccessViolationKillsTheProcessWithC0000005() {
        RecordingHooks hooks = installRecordingHooks();
        EProcess p = start(SimProgram.of("crash", g -> g.read(UNMAPPED, 1))).process();
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), exitCodeOf(p));
        List<RecordingHooks.ExceptionCall> calls = hooks.debugPortExceptions(NtStatus.STATUS_ACCESS_VIOLATION.value());
        assertEquals(2, calls.size());
        assertFalse(calls.get(0).secondChance());
        assertTrue(calls.get(1).secondChance());
    }

    @Test
    void aDebuggerThatHandlesTheFaultMakesTheAccessRetry() {
        RecordingHooks hooks = installRecordingHooks();
        AtomicInteger firstChances = new AtomicInteger();
        AtomicReference<EProcess> target = new AtomicReference<>();
        hooks.onDebugPortException = call -> {
            // The "debugger" maps the missing page, then continues with DBG_CONTINUE.
            firstChances.incrementAndGet();
            ((dev.debugport.sim.memory.SimMemory) target.get().memory()).map(0x70000000L, 0x1000, PageProtection.PAGE_READWRITE);
            return CompletableFuture.completedFuture(true);
        };
        AtomicReference<byte[]> read = new AtomicReference<>();
        SimProgram program = SimProgram.of("dbgfix", g -> read.set(g.read(0x70000004L, 2)));
        machine.stopPoints().arm(SimMachine.LOADER_DONE_POINT);
        EProcess p = start(program).process();
        target.set(p);
        assertTrue(machine.stopPoints().awaitReached(SimMachine.LOADER_DONE_POINT, TIMEOUT));
        machine.stopPoints().release(SimMachine.LOADER_DONE_POINT);
        assertEquals(0, exitCodeOf(p));
        assertEquals(1, firstChances.get());
        assertEquals(2, read.get().length);
    }

    @Test
    void handlersSeeTheOriginalContextWhenTheDebuggerDeclines() {
        RecordingHooks hooks = installRecordingHooks();
        hooks.onDebugPortException = call -> {
            SimThread st = SimPlatform.simThread(call.thread());
            st.setContext(st.context().withRip(0xBADL)); // edits, then DBG_EXCEPTION_NOT_HANDLED
            return CompletableFuture.completedFuture(false);
        };
        AtomicReference<Long> handlerRip = new AtomicReference<>();
        AtomicReference<Long> threadRip = new AtomicReference<>();
        EProcess p = start(SimProgram.of("edits", g -> g.raiseException(CODE, 0, null, ptrs -> {
            handlerRip.set(ptrs.context().rip());
            threadRip.set(g.context().rip());
            return ExceptionDisposition.EXECUTE_HANDLER;
        }))).process();
        assertEquals(0, exitCodeOf(p));
        assertEquals(p.image().base() + ImageLayout.RAISE_RETURN_RVA, handlerRip.get());
        assertEquals(handlerRip.get(), threadRip.get(), "the debugger's edits are gone while handlers run");
    }

    @Test
    void continuingANoncontinuableExceptionRaisesStatusNoncontinuableException() {
        EProcess p = start(SimProgram.of("noncont", g -> {
            g.raiseException(CODE, ExceptionRecord.EXCEPTION_NONCONTINUABLE, null, ptrs ->
                    ptrs.record().code() == CODE ? ExceptionDisposition.CONTINUE_EXECUTION : ExceptionDisposition.CONTINUE_SEARCH);
        })).process();
        assertEquals(NtStatus.STATUS_NONCONTINUABLE_EXCEPTION.value(), exitCodeOf(p));
    }

    @Test
    void outputDebugStringAPassesLengthAndAnAnsiStringInGuestMemory() {
        RecordingHooks hooks = installRecordingHooks();
        List<String> strings = new CopyOnWriteArrayList<>();
        hooks.onDebugPortException = call -> {
            if (call.record().code() == NtStatus.DBG_PRINTEXCEPTION_C.value()) {
                strings.add(MemoryAccess.readAnsiz(call.thread().process().memory(), call.record().info(1), 100));
            }
            return CompletableFuture.completedFuture(false);
        };
        AtomicInteger vectored = new AtomicInteger();
        EProcess p = start(SimProgram.of("ods", g -> {
            g.addVectoredHandler(ptrs -> {
                vectored.incrementAndGet();
                return ExceptionDisposition.CONTINUE_SEARCH;
            });
            g.outputDebugStringA("abc");
        })).process();
        assertEquals(0, exitCodeOf(p), "not handled by the debugger: OutputDebugStringA's own handler swallows it");
        RecordingHooks.ExceptionCall call = hooks.debugPortExceptions(NtStatus.DBG_PRINTEXCEPTION_C.value()).getFirst();
        assertEquals(4, call.record().info(0));
        assertEquals(List.of("abc"), strings);
        assertEquals(1, vectored.get());
    }

    @Test
    void outputDebugStringWRaisesTheWideExceptionThenFallsBackToAnsi() {
        RecordingHooks hooks = installRecordingHooks();
        List<String> strings = new CopyOnWriteArrayList<>();
        hooks.onDebugPortException = call -> {
            var memory = call.thread().process().memory();
            if (call.record().code() == NtStatus.DBG_PRINTEXCEPTION_WIDE_C.value()) {
                strings.add("W:" + MemoryAccess.readUtf16z(memory, call.record().info(1), 100)
                        + "/" + call.record().info(0) + "/" + MemoryAccess.readAnsiz(memory, call.record().info(3), 100)
                        + "/" + call.record().info(2));
            } else if (call.record().code() == NtStatus.DBG_PRINTEXCEPTION_C.value()) {
                strings.add("A:" + MemoryAccess.readAnsiz(memory, call.record().info(1), 100));
            }
            return CompletableFuture.completedFuture(false);
        };
        EProcess p = start(SimProgram.of("odsw", g -> g.outputDebugStringW("hi"))).process();
        assertEquals(0, exitCodeOf(p));
        assertEquals(List.of("W:hi/3/hi/3", "A:hi"), strings);
    }

    @Test
    void aDebuggerThatTakesTheWideStringGetsNoAnsiCopy() {
        RecordingHooks hooks = installRecordingHooks();
        hooks.onDebugPortException = call -> CompletableFuture.completedFuture(true);
        EProcess p = start(SimProgram.of("odsw2", g -> g.outputDebugStringW("hi"))).process();
        assertEquals(0, exitCodeOf(p));
        assertEquals(1, hooks.debugPortExceptions(NtStatus.DBG_PRINTEXCEPTION_WIDE_C.value()).size());
        assertTrue(hooks.debugPortExceptions(NtStatus.DBG_PRINTEXCEPTION_C.value()).isEmpty());
    }

    @Test
    void ripEventRaisesDbgRipExceptionWithErrorAndType() {
        RecordingHooks hooks = installRecordingHooks();
        EProcess p = start(SimProgram.of("rip", g -> g.ripEvent(0x11223344, 0x55667788))).process();
        assertEquals(0, exitCodeOf(p));
        ExceptionRecord r = hooks.debugPortExceptions(NtStatus.DBG_RIPEXCEPTION.value()).getFirst().record();
        assertEquals(List.of(0x11223344L, 0x55667788L), r.information());
    }
}
