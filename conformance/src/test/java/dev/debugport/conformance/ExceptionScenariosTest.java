package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ki.ExceptionDispatcher.Outcome;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.sim.ExceptionDisposition;
import dev.debugport.sim.GuestApi;
import dev.debugport.sim.GuestHandler;
import dev.debugport.sim.SimProgram;
import dev.debugport.sim.image.ImageLayout;
import dev.debugport.sim.memory.PageProtection;
import dev.debugport.win32.ProcessInformation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * spec/wine-model-and-scenarios.md Part 2, section E (scenarios 55–72): first and second chance with context
 * edits, int3 and its variants, single steps, the int 0x2d debug service, debug strings, RIP events, closing invalid
 * handles, __fastfail and segment registers, as a debugger and the debuggee's own handlers see them.
 */
class ExceptionScenariosTest extends LifecycleTestBase {
    private static final long UNMAPPED = 0x10;

    /** Copies machine code into a fresh executable page of the guest. */
    static long loadCode(GuestApi g, int... bytes) {
        byte[] code = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            code[i] = (byte) bytes[i];
        }
        long base = g.allocate(0x1000, PageProtection.PAGE_EXECUTE_READWRITE);
        g.write(base, code);
        return base;
    }

    @Test
    void p2_55_firstExceptionIsTheStartupBreakpointInsideNtdll() {
        ProcessInformation pi = launch(SimProgram.of("e55", g -> { }));
        Handle thread = mainThreadHandle();
        DebugEvent first = until(e -> e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT, null);
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), exceptionCode(first), "the first exception is the startup breakpoint");
        assertEquals(pi.threadId(), first.threadId());
        assertTrue(exception(first).firstChance());
        long rip = context(thread).rip();
        assertTrue(rip >= ImageLayout.NTDLL_BASE && rip < ImageLayout.NTDLL_BASE + ImageLayout.NTDLL_SIZE, "IP inside ntdll's image");
        assertEquals(exception(first).exceptionRecord().address() + 1, rip);
        f.resume(first);
        assertEquals(0, f.runToExit(pi.processId()));
    }

    @Test
    void p2_56_notHandledByTheDebuggerTheHandlersSeeTheOriginalContext() {
        int[] codes = {0x12345, NtStatus.STATUS_BREAKPOINT.value(), NtStatus.STATUS_INVALID_HANDLE.value()};
        List<long[]> handlerSaw = new CopyOnWriteArrayList<>();
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        ProcessInformation pi = launch(SimProgram.of("e56", g -> {
            for (int code : codes) {
                g.setContext(g.context().with(Amd64Register.RAX, 0x1111));
                outcomes.add(g.raiseException(code, 0, null, p -> {
                    handlerSaw.add(new long[] {p.record().code(), p.context().rip(), p.context().get(Amd64Register.RAX), p.record().address()});
                    return ExceptionDisposition.EXECUTE_HANDLER;
                }));
            }
        }));
        Handle thread = mainThreadHandle();
        passInitialBreakpoint();
        for (int code : codes) {
            DebugEvent e = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
            assertEquals(code, exceptionCode(e));
            assertTrue(exception(e).firstChance());
            Amd64Context ctx = context(thread);
            assertEquals(exception(e).exceptionRecord().address(), ctx.rip(), "a first-chance event at the raise point");
            assertEquals(0x1111, ctx.get(Amd64Register.RAX));
            assertTrue(f.k32.setThreadContext(thread, ctx.withRip(0xBAD0).with(Amd64Register.RAX, 0xF00F)));
            f.resume(e, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        }
        List<DebugEvent> rest = runToExit(pi.processId());
        assertEquals(List.of(), ofKind(rest, DebugEventCode.EXCEPTION_DEBUG_EVENT), "no second chance");
        assertEquals(List.of(Outcome.HANDLED_BY_PROGRAM, Outcome.HANDLED_BY_PROGRAM, Outcome.HANDLED_BY_PROGRAM), outcomes);
        for (long[] saw : handlerSaw) {
            long expectedRip = (int) saw[0] == NtStatus.STATUS_BREAKPOINT.value() ? saw[3] - 1 : saw[3];
            assertEquals(expectedRip, saw[1], "the handler sees the original IP (a breakpoint's backed up by one)");
            assertEquals(0x1111, saw[2], "the handler sees the original register, not the debugger's edit");
        }
        assertEquals(3, handlerSaw.size());
    }

    @Test
    void p2_57_lastChanceSeesTheContextAfterTheHandlersAndTheDebuggerCanResume() {
        AtomicLong code = new AtomicLong();
        AtomicLong stoppedAt = new AtomicLong();
        AtomicReference<Outcome> raised = new AtomicReference<>();
        ProcessInformation pi = launch(SimProgram.of("e57", g -> {
            code.set(loadCode(g, 0xCC, 0x90, 0xC3));
            g.tryExcept(x -> stoppedAt.set(x.execute(code.get(), 10)), p -> {
                p.setContext(p.context().with(Amd64Register.RBX, 0x5757));
                return ExceptionDisposition.CONTINUE_SEARCH;
            });
            raised.set(g.raiseException(0xE0000057, 0, null, GuestHandler.CONTINUE_SEARCH));
            g.exitThread(0x57);
        }));
        Handle thread = mainThreadHandle();
        passInitialBreakpoint();

        DebugEvent first = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertTrue(exception(first).firstChance());
        assertEquals(code.get() + 1, context(thread).rip());
        f.resume(first, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        DebugEvent last = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertFalse(exception(last).firstChance(), "the handler declined: dwFirstChance = 0");
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), exceptionCode(last));
        Amd64Context ctx = context(thread);
        assertEquals(code.get(), ctx.rip(), "the IP was moved back onto the int3");
        assertEquals(0x5757, ctx.get(Amd64Register.RBX), "the context after the handlers ran");
        assertTrue(f.k32.setThreadContext(thread, ctx.withRip(code.get() + 1)));
        f.resume(last, NtStatus.DBG_CONTINUE);

        DebugEvent first2 = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertEquals(0xE0000057, exceptionCode(first2));
        f.resume(first2, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        DebugEvent last2 = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertFalse(exception(last2).firstChance());
        assertEquals(exception(last2).exceptionRecord().address(), context(thread).rip(), "a raised exception's IP is not moved");
        f.resume(last2, NtStatus.DBG_EXCEPTION_HANDLED);

        assertEquals(0x57, f.runToExit(pi.processId()), "the debuggee resumed normally");
        assertEquals(code.get() + 2, stoppedAt.get(), "execution went on after the int3");
        assertEquals(Outcome.HANDLED_BY_DEBUGGER_SECOND_CHANCE, raised.get());
    }

    @Test
    void p2_58_secondChanceNotHandledKillsWithTheExceptionCode() {
        for (int code : new int[] {NtStatus.STATUS_ACCESS_VIOLATION.value(), 0xE0000058}) {
            ProcessInformation pi = launch(SimProgram.of("e58_" + Integer.toHexString(code), g -> {
                if (code == NtStatus.STATUS_ACCESS_VIOLATION.value()) {
                    g.read(UNMAPPED, 4);
                } else {
                    g.raiseException(code, 0, null, null);
                }
                g.exitThread(1);
            }));
            EProcess process = f.process(pi.processId());
            DebugEvent first = until(e -> isException(e, code), null);
            assertTrue(exception(first).firstChance());
            f.resume(first, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
            DebugEvent second = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
            assertEquals(code, exceptionCode(second));
            assertFalse(exception(second).firstChance());
            f.resume(second, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
            DebugEvent exit = until(e -> e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT, null);
            assertEquals(code, ((DebugEventInfo.ExitProcessDebugInfo) exit.info()).exitCode(), "exit code = exception code");
            f.resume(exit);
            assertEquals(code, SimDebugFixture.awaitExit(process));
        }
    }

    @Test
    void p2_59_int3AndIntThreeUnderTheDebuggerAndTheirVectoredHandler() {
        AtomicLong oneByte = new AtomicLong();
        AtomicLong twoByte = new AtomicLong();
        List<long[]> veh = new CopyOnWriteArrayList<>();
        List<Integer> counts = new CopyOnWriteArrayList<>();
        List<Long> stopped = new CopyOnWriteArrayList<>();
        AtomicInteger count = new AtomicInteger();
        ProcessInformation pi = launch(SimProgram.of("e59", g -> {
            oneByte.set(loadCode(g, 0xCC, 0xC3));
            twoByte.set(loadCode(g, 0xCD, 0x03, 0xC3));
            g.addVectoredHandler(p -> {
                if (p.record().code() != NtStatus.STATUS_BREAKPOINT.value()) {
                    return ExceptionDisposition.CONTINUE_SEARCH;
                }
                count.incrementAndGet();
                veh.add(new long[] {p.context().rip(), p.record().information().size(), p.record().info(0), p.record().address()});
                p.setContext(p.context().withRip(p.record().address() + 1));
                return ExceptionDisposition.CONTINUE_EXECUTION;
            });
            for (long code : new long[] {oneByte.get(), oneByte.get(), twoByte.get(), twoByte.get()}) {
                count.set(0);
                stopped.add(g.execute(code, 10));
                counts.add(count.get());
            }
        }));
        Handle thread = mainThreadHandle();
        passInitialBreakpoint();
        NtStatus[] answers = {NtStatus.DBG_CONTINUE, NtStatus.DBG_EXCEPTION_NOT_HANDLED, NtStatus.DBG_CONTINUE, NtStatus.DBG_EXCEPTION_NOT_HANDLED};
        for (int i = 0; i < 4; i++) {
            DebugEvent bp = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
            assertEquals(NtStatus.STATUS_BREAKPOINT.value(), exceptionCode(bp));
            long code = i < 2 ? oneByte.get() : twoByte.get();
            long end = i < 2 ? code + 1 : code + 2;
            assertEquals(end, context(thread).rip(), "the debugger's IP = instruction end");
            assertEquals(end - 1, exception(bp).exceptionRecord().address());
            f.resume(bp, answers[i]);
        }
        assertEquals(0, f.runToExit(pi.processId()));
        assertEquals(List.of(0, 1, 0, 1), counts, "CONTINUE: the vectored handler sees nothing; NOT_HANDLED: once");
        assertEquals(2, veh.size());
        assertEquals(oneByte.get(), veh.get(0)[0], "int3: the handler sees the IP backed up onto the int3");
        assertEquals(twoByte.get() + 1, veh.get(1)[0], "int 3 (cd 03): the handler sees code + 1");
        for (long[] v : veh) {
            assertEquals(1, v[1], "one parameter (x64)");
            assertEquals(0, v[2], "ExceptionInformation[0] = 0");
        }
        assertEquals(List.of(oneByte.get() + 1, oneByte.get() + 1, twoByte.get() + 2, twoByte.get() + 2), stopped);
    }

    @Test
    void p2_60_trapFlagFromTheDebuggerSingleStepsThroughAJumpBack() {
        AtomicLong code = new AtomicLong();
        AtomicLong stoppedAt = new AtomicLong();
        // 0: int3; 1: nop; 2: jmp +2 (-> 6); 4: nop; 5: ret; 6: jmp -3 (-> 5)
        ProcessInformation pi = launch(SimProgram.of("e60", g -> {
            code.set(loadCode(g, 0xCC, 0x90, 0xEB, 0x02, 0x90, 0xC3, 0xEB, 0xFD));
            stoppedAt.set(g.execute(code.get(), 20));
        }));
        Handle thread = mainThreadHandle();
        passInitialBreakpoint();
        DebugEvent bp = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), exceptionCode(bp));
        assertTrue(f.k32.setThreadContext(thread, context(thread).withTrapFlag(true)));
        f.resume(bp);
        for (long offset : new long[] {2, 6, 5}) {
            DebugEvent step = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
            assertEquals(NtStatus.STATUS_SINGLE_STEP.value(), exceptionCode(step));
            Amd64Context ctx = context(thread);
            assertEquals(code.get() + offset, exception(step).exceptionRecord().address(), "the next instruction");
            assertEquals(ctx.rip(), exception(step).exceptionRecord().address(), "ExceptionAddress == IP");
            assertFalse(ctx.trapFlag(), "TF is already clear");
            if (offset != 5) {
                assertTrue(f.k32.setThreadContext(thread, ctx.withTrapFlag(true)));
            }
            f.resume(step);
        }
        assertEquals(0, f.runToExit(pi.processId()));
        assertEquals(code.get() + 5, stoppedAt.get());
    }

    @Test
    void p2_63_int2dDebugService() {
        int[] services = {0, 2, 6, 1, 3, 4};
        AtomicLong code = new AtomicLong();
        List<long[]> results = new CopyOnWriteArrayList<>();
        List<long[]> veh = new CopyOnWriteArrayList<>();
        AtomicInteger count = new AtomicInteger();
        // 0: int 0x2d; 2: ret (resumed right after the instruction); 3: nop; 4: ret (the byte after it skipped)
        ProcessInformation pi = launch(SimProgram.of("e63", g -> {
            code.set(loadCode(g, 0xCD, 0x2D, 0xC3, 0x90, 0xC3));
            g.addVectoredHandler(p -> {
                if (p.record().code() != NtStatus.STATUS_BREAKPOINT.value()) {
                    return ExceptionDisposition.CONTINUE_SEARCH;
                }
                count.incrementAndGet();
                veh.add(new long[] {p.context().rip(), p.record().information().size(), p.record().info(0), p.context().get(Amd64Register.RAX)});
                return ExceptionDisposition.CONTINUE_EXECUTION;
            });
            for (int pass = 0; pass < 2; pass++) {
                for (int service : services) {
                    count.set(0);
                    g.setContext(g.context().with(Amd64Register.RAX, service));
                    long stop = g.execute(code.get(), 10);
                    results.add(new long[] {service, count.get(), stop - code.get()});
                }
            }
        }));
        Handle thread = mainThreadHandle();
        passInitialBreakpoint();
        for (int pass = 0; pass < 2; pass++) {
            for (int service : new int[] {0, 2, 6}) {
                DebugEvent e = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
                ExceptionRecord r = exception(e).exceptionRecord();
                assertEquals(NtStatus.STATUS_BREAKPOINT.value(), r.code(), "BREAK, PROMPT and invalid services raise a breakpoint");
                assertEquals(List.of((long) service), r.information(), "ExceptionInformation[0] = eax");
                assertEquals(code.get() + 3, context(thread).rip(), "the debugger's IP is past the skipped byte");
                f.resume(e, pass == 0 ? NtStatus.DBG_CONTINUE : NtStatus.DBG_EXCEPTION_NOT_HANDLED);
            }
        }
        List<DebugEvent> rest = runToExit(pi.processId());
        assertEquals(List.of(), ofKind(rest, DebugEventCode.EXCEPTION_DEBUG_EVENT), "PRINT, LOAD_SYMBOLS and UNLOAD_SYMBOLS raise nothing");
        assertEquals(2 * services.length, results.size());
        for (long[] r : results) {
            boolean raising = r[0] == 0 || r[0] == 2 || r[0] == 6;
            boolean secondPass = results.indexOf(r) >= services.length;
            long expectedCount = raising && secondPass ? 1 : 0;
            long expectedStop = raising && secondPass ? 2 : 4;
            assertEquals(expectedCount, r[1], () -> "vectored exceptions for service " + r[0]);
            assertEquals(expectedStop, r[2], () -> "where execution resumed for service " + r[0]);
        }
        assertEquals(3, veh.size());
        for (long[] v : veh) {
            assertEquals(code.get() + 2, v[0], "handlers see the IP right after int 0x2d");
            assertEquals(1, v[1]);
            assertEquals(v[3], v[2], "ExceptionInformation[0] = Rax");
        }
    }

    @Test
    void p2_64_outputDebugStringA() {
        List<Integer> ansiCounts = new CopyOnWriteArrayList<>();
        List<String> vehStrings = new CopyOnWriteArrayList<>();
        List<Integer> lastErrors = new CopyOnWriteArrayList<>();
        AtomicInteger ansi = new AtomicInteger();
        ProcessInformation pi = launch(SimProgram.of("e64", g -> {
            g.addVectoredHandler(p -> {
                if (p.record().code() == NtStatus.DBG_PRINTEXCEPTION_C.value()) {
                    ansi.incrementAndGet();
                    vehStrings.add(p.record().info(0) + ":" + new String(g.read(p.record().info(1), 11), StandardCharsets.ISO_8859_1));
                }
                return ExceptionDisposition.CONTINUE_SEARCH;
            });
            for (int i = 0; i < 2; i++) {
                ansi.set(0);
                g.thread().teb().setLastErrorValue(0xDEADBEEF);
                g.outputDebugStringA("Hello World");
                lastErrors.add(g.getLastError());
                ansiCounts.add(ansi.get());
            }
        }));
        for (NtStatus answer : new NtStatus[] {NtStatus.DBG_CONTINUE, NtStatus.DBG_EXCEPTION_NOT_HANDLED}) {
            DebugEvent e = until(x -> x.code() == DebugEventCode.OUTPUT_DEBUG_STRING_EVENT, null);
            DebugEventInfo.OutputDebugStringInfo s = (DebugEventInfo.OutputDebugStringInfo) e.info();
            assertFalse(s.unicode());
            assertEquals(12, s.debugStringLength(), "includes the NUL");
            assertEquals("Hello World", readAnsi(pi.process(), s.debugStringData(), 12));
            f.resume(e, answer);
        }
        List<DebugEvent> rest = runToExit(pi.processId());
        assertTrue(ofKind(rest, DebugEventCode.OUTPUT_DEBUG_STRING_EVENT).isEmpty());
        assertEquals(0, ansiCounts.get(0), "CONTINUE: the vectored handler sees nothing");
        assertTrue(ansiCounts.get(1) >= 1, "NOT_HANDLED: the vectored handler sees the ANSI exception");
        assertTrue(vehStrings.stream().allMatch("12:Hello World"::equals), () -> "parameters {12, string}: " + vehStrings);
        assertEquals(List.of(0xDEADBEEF, 0xDEADBEEF), lastErrors, "GetLastError is preserved");
    }

    @Test
    void p2_65_outputDebugStringWIsUnicodeForExAndAnsiForThePlainWait() {
        // WaitForDebugEventEx: one Unicode event.
        ProcessInformation pi = launch(SimProgram.of("e65a", g -> g.outputDebugStringW("Hello World")));
        DebugEvent e = until(x -> x.code() == DebugEventCode.OUTPUT_DEBUG_STRING_EVENT, null);
        DebugEventInfo.OutputDebugStringInfo s = (DebugEventInfo.OutputDebugStringInfo) e.info();
        assertTrue(s.unicode());
        assertEquals("Hello World", readUtf16(pi.process(), s.debugStringData()));
        f.resume(e);
        assertTrue(ofKind(runToExit(pi.processId()), DebugEventCode.OUTPUT_DEBUG_STRING_EVENT).isEmpty(), "no ANSI fallback after DBG_CONTINUE");

        // Plain WaitForDebugEvent: only an ANSI event.
        ProcessInformation pi2 = launch(SimProgram.of("e65b", g -> g.outputDebugStringW("Hello World")));
        List<DebugEventInfo.OutputDebugStringInfo> strings = new ArrayList<>();
        while (true) {
            UserPointer<DebugEvent> ev = UserPointer.empty();
            assertTrue(f.k32.waitForDebugEvent(ev, SimDebugFixture.TIMEOUT_MS));
            DebugEvent x = ev.get();
            if (x.info() instanceof DebugEventInfo.OutputDebugStringInfo o) {
                strings.add(o);
                assertEquals("Hello World", readAnsi(pi2.process(), o.debugStringData(), 12));
            }
            continueEvent(f.k32, x);
            if (x.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                break;
            }
        }
        assertEquals(1, strings.size());
        assertFalse(strings.getFirst().unicode());
        assertEquals(12, strings.getFirst().debugStringLength());

        // No debugger: the wide exception first, then (unless a handler continued it) the ANSI one.
        for (ExceptionDisposition answer : new ExceptionDisposition[] {ExceptionDisposition.CONTINUE_SEARCH, ExceptionDisposition.CONTINUE_EXECUTION}) {
            StringBuilder order = new StringBuilder();
            EProcess plain = startPlain(SimProgram.of("e65c", g -> {
                g.addVectoredHandler(p -> {
                    int c = p.record().code();
                    if (c == NtStatus.DBG_PRINTEXCEPTION_WIDE_C.value()) {
                        synchronized (order) {
                            order.append('W');
                        }
                        return answer;
                    }
                    if (c == NtStatus.DBG_PRINTEXCEPTION_C.value()) {
                        synchronized (order) {
                            order.append('A');
                        }
                    }
                    return ExceptionDisposition.CONTINUE_SEARCH;
                });
                g.outputDebugStringW("Hello World");
            }));
            assertEquals(0, SimDebugFixture.awaitExit(plain));
            synchronized (order) {
                assertEquals(answer == ExceptionDisposition.CONTINUE_SEARCH ? "WA" : "W", order.toString());
            }
        }
    }

    @Test
    void p2_66_ripEvent() {
        List<Integer> counts = new CopyOnWriteArrayList<>();
        AtomicInteger count = new AtomicInteger();
        ProcessInformation pi = launch(SimProgram.of("e66", g -> {
            g.addVectoredHandler(p -> {
                if (p.record().code() == NtStatus.DBG_RIPEXCEPTION.value()) {
                    count.incrementAndGet();
                }
                return ExceptionDisposition.CONTINUE_SEARCH;
            });
            for (int i = 0; i < 2; i++) {
                count.set(0);
                g.ripEvent(0x11223344, 0x55667788);
                counts.add(count.get());
            }
        }));
        for (NtStatus answer : new NtStatus[] {NtStatus.DBG_CONTINUE, NtStatus.DBG_EXCEPTION_NOT_HANDLED}) {
            DebugEvent e = until(x -> x.code() == DebugEventCode.RIP_EVENT, null);
            DebugEventInfo.RipInfo rip = (DebugEventInfo.RipInfo) e.info();
            assertEquals(0x11223344, rip.error());
            assertEquals(0x55667788, rip.type());
            f.resume(e, answer);
        }
        assertEquals(0, f.runToExit(pi.processId()));
        assertEquals(List.of(0, 1), counts);
    }

    private static final Handle[] INVALID = {Handle.of(0xDEADBEEFL), Handle.of(0x7FFFFFFFL), Handle.of(~6L)};

    @Test
    void p2_67_closingAnInvalidHandleInADebuggeeRaisesInvalidHandle() {
        List<long[]> results = new CopyOnWriteArrayList<>();
        AtomicInteger count = new AtomicInteger();
        ProcessInformation pi = launch(SimProgram.of("e67", g -> {
            g.addVectoredHandler(p -> {
                if (p.record().code() != NtStatus.STATUS_INVALID_HANDLE.value()) {
                    return ExceptionDisposition.CONTINUE_SEARCH;
                }
                count.incrementAndGet();
                return p.record().information().isEmpty() ? ExceptionDisposition.CONTINUE_EXECUTION : ExceptionDisposition.CONTINUE_SEARCH;
            });
            for (int pass = 0; pass < 2; pass++) {
                for (Handle h : INVALID) {
                    count.set(0);
                    boolean ok = g.closeHandle(h);
                    results.add(new long[] {ok ? 1 : 0, g.getLastError(), count.get()});
                }
            }
        }));
        passInitialBreakpoint();
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < INVALID.length; i++) {
                DebugEvent e = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
                assertEquals(NtStatus.STATUS_INVALID_HANDLE.value(), exceptionCode(e), "EXCEPTION_INVALID_HANDLE");
                assertTrue(exception(e).firstChance());
                assertEquals(List.of(), exception(e).exceptionRecord().information(), "no parameters");
                f.resume(e, pass == 0 ? NtStatus.DBG_CONTINUE : NtStatus.DBG_EXCEPTION_NOT_HANDLED);
            }
        }
        assertEquals(0, f.runToExit(pi.processId()));
        for (int i = 0; i < results.size(); i++) {
            long[] r = results.get(i);
            assertEquals(0, r[0], "CloseHandle fails");
            assertEquals(Win32Error.ERROR_INVALID_HANDLE, r[1]);
            assertEquals(i < INVALID.length ? 0 : 1, r[2], "CONTINUE: no vectored exception; NOT_HANDLED: one");
        }
    }

    @Test
    void p2_68_pseudoHandlesRaiseNothingAndCloseSuccessfully() {
        long[] values = {0, -1, -2, -3, -4, -5, -6};
        List<long[]> results = new CopyOnWriteArrayList<>();
        AtomicInteger count = new AtomicInteger();
        ProcessInformation pi = launch(SimProgram.of("e68", g -> {
            g.addVectoredHandler(p -> {
                count.incrementAndGet();
                return ExceptionDisposition.CONTINUE_SEARCH;
            });
            for (long v : values) {
                g.thread().teb().setLastErrorValue(0);
                boolean ok = g.closeHandle(Handle.of(v));
                results.add(new long[] {v, ok ? 1 : 0, g.getLastError()});
            }
            g.outputDebugStringA("done");
        }));
        passInitialBreakpoint();
        DebugEvent next = f.next();
        assertEquals(DebugEventCode.OUTPUT_DEBUG_STRING_EVENT, next.code(), "no exception for any of them");
        f.resume(next);
        assertEquals(0, f.runToExit(pi.processId()));
        assertEquals(0, count.get(), "no vectored exception");
        for (long[] r : results) {
            if (r[0] == 0) {
                assertEquals(0, r[1], "NULL is not closed");
                assertEquals(Win32Error.ERROR_INVALID_HANDLE, r[2]);
            } else {
                assertEquals(1, r[1], () -> "CloseHandle(" + r[0] + ") succeeds");
            }
        }
    }

    @Test
    void p2_69_aForgedBeingDebuggedByteDoesNotMakeCloseHandleRaise() {
        AtomicInteger count = new AtomicInteger();
        AtomicReference<long[]> result = new AtomicReference<>();
        EProcess plain = startPlain(SimProgram.of("e69", g -> {
            g.addVectoredHandler(p -> {
                count.incrementAndGet();
                return ExceptionDisposition.CONTINUE_SEARCH;
            });
            g.setBeingDebugged(true);
            boolean ok = g.closeHandle(Handle.of(0xDEADBEEFL));
            result.set(new long[] {ok ? 1 : 0, g.getLastError(), g.isDebuggerPresent() ? 1 : 0});
        }));
        assertEquals(0, SimDebugFixture.awaitExit(plain), "no unhandled EXCEPTION_INVALID_HANDLE");
        assertEquals(0, count.get(), "nothing raised");
        assertEquals(0, result.get()[0]);
        assertEquals(Win32Error.ERROR_INVALID_HANDLE, result.get()[1]);
        assertEquals(1, result.get()[2], "the PEB says a debugger is present, the kernel knows better");
    }

    @Test
    void p2_70_fastFailIsASingleSecondChanceException() {
        for (int code : new int[] {2, 7, 0xDEADBEEF}) {
            AtomicInteger veh = new AtomicInteger();
            ProcessInformation pi = launch(SimProgram.of("e70_" + Integer.toHexString(code), g -> {
                g.addVectoredHandler(p -> {
                    veh.incrementAndGet();
                    return ExceptionDisposition.CONTINUE_SEARCH;
                });
                g.fastFail(code);
                g.exitThread(1);
            }));
            assertFastFail(pi, code);
            assertEquals(0, veh.get(), "no handler runs");
        }
        // The instruction itself: int 0x29 with the code in rcx.
        ProcessInformation pi = launch(SimProgram.of("e70_int29", g -> {
            long code = loadCode(g, 0xCD, 0x29, 0xC3);
            g.setContext(g.context().with(Amd64Register.RCX, 0x1234));
            g.execute(code, 10);
            g.exitThread(1);
        }));
        assertFastFail(pi, 0x1234);
    }

    private void assertFastFail(ProcessInformation pi, int code) {
        List<DebugEvent> events = runToExit(pi.processId());
        List<DebugEvent> overruns = events.stream().filter(e -> isException(e, NtStatus.STATUS_STACK_BUFFER_OVERRUN.value())).toList();
        assertEquals(1, overruns.size(), () -> "a single event: " + events);
        DebugEventInfo.ExceptionDebugInfo info = exception(overruns.getFirst());
        assertFalse(info.firstChance(), "dwFirstChance = 0: no first chance");
        assertEquals(List.of(Integer.toUnsignedLong(code)), info.exceptionRecord().information(), "one parameter: the code");
        assertEquals(NtStatus.STATUS_STACK_BUFFER_OVERRUN.value(), ((DebugEventInfo.ExitProcessDebugInfo) events.getLast().info()).exitCode());
    }

    @Test
    void p2_72_segmentRegistersAtABreakpoint() {
        ProcessInformation pi = launch(SimProgram.of("e72", g -> {
            long code = loadCode(g, 0xCC, 0xC3);
            g.setContext(g.context().with(Amd64Register.DS, 0).with(Amd64Register.ES, 0).with(Amd64Register.GS, 0));
            g.execute(code, 10);
        }));
        Handle thread = mainThreadHandle();
        passInitialBreakpoint();
        DebugEvent bp = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), exceptionCode(bp));
        Amd64Context ctx = context(thread);
        assertEquals(Amd64Context.USER_DS, ctx.get(Amd64Register.SS), "the correct SS");
        assertTrue(ctx.get(Amd64Register.FS) != ctx.get(Amd64Register.SS), "FS differs from SS");
        assertEquals(0, ctx.get(Amd64Register.DS), "DS as the debuggee set it");
        assertEquals(0, ctx.get(Amd64Register.ES));
        assertEquals(0, ctx.get(Amd64Register.GS));
        f.resume(bp);
        assertEquals(0, f.runToExit(pi.processId()));
    }
}
