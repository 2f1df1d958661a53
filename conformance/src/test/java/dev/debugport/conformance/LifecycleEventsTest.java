package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.ExceptionDisposition;
import dev.debugport.sim.GuestCode;
import dev.debugport.sim.SimProgram;
import dev.debugport.sim.image.ImageLayout;
import dev.debugport.sim.image.SimNtdll;
import dev.debugport.win32.ProcessInformation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * spec/dbgk.md §15 items 68–78: the live events of a debuggee's life — creation order with the initial breakpoint,
 * thread creation and exit, process exit, DLL load and unload, WoW64's two ntdlls, threads hidden from the
 * debugger, SuppressDebugMsg and kernel-mode mappings.
 */
class LifecycleEventsTest extends LifecycleTestBase {

    @Test
    void s15_68_createProcessThenNtdllThenLoaderDllsThenInitialBreakpoint() {
        ProcessInformation pi = launch(SimProgram.of("life68", g -> { }).withImports("alpha68.dll", "beta68.dll"));
        EProcess process = f.process(pi.processId());

        DebugEvent first = f.next();
        assertEquals(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT, first.code(), "the first event is CREATE_PROCESS");
        DebugEventInfo.CreateProcessDebugInfo cp = (DebugEventInfo.CreateProcessDebugInfo) first.info();
        assertEquals(process.image().base() + ImageLayout.ENTRY_POINT_RVA, cp.startAddress(), "lpStartAddress = ImageBase + AddressOfEntryPoint");
        assertEquals(process.image().base(), cp.baseOfImage());
        assertEquals(pi.threadId(), first.threadId());
        f.resume(first);

        DebugEvent ntdll = f.next(DebugEventCode.LOAD_DLL_DEBUG_EVENT);
        assertEquals(ImageLayout.NTDLL_BASE, ((DebugEventInfo.LoadDllDebugInfo) ntdll.info()).baseOfDll(), "ntdll comes right after CREATE_PROCESS");
        assertEquals(pi.threadId(), ntdll.threadId());
        f.resume(ntdll);

        List<Long> loaderDlls = new ArrayList<>();
        DebugEvent e;
        while ((e = f.next()).code() == DebugEventCode.LOAD_DLL_DEBUG_EVENT) {
            assertEquals(pi.threadId(), e.threadId());
            loaderDlls.add(((DebugEventInfo.LoadDllDebugInfo) e.info()).baseOfDll());
            f.resume(e);
        }
        List<ImageInfo> list;
        synchronized (process.loaderList()) {
            list = List.copyOf(process.loaderList());
        }
        assertEquals(list.subList(2, list.size()).stream().map(ImageInfo::base).toList(), loaderDlls,
                "the loader's DLLs after exe and ntdll, in load order (kernel32, KernelBase, the imports)");
        assertEquals(4, loaderDlls.size());

        assertEquals(DebugEventCode.EXCEPTION_DEBUG_EVENT, e.code(), "then the initial breakpoint, got " + e);
        DebugEventInfo.ExceptionDebugInfo bp = exception(e);
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), bp.exceptionRecord().code());
        assertTrue(bp.firstChance());
        assertEquals(pi.threadId(), e.threadId(), "on the same (initial) thread");
        assertEquals(SimNtdll.address(ImageLayout.NTDLL_BASE, SimNtdll.LDRP_DO_DEBUGGER_BREAK) + SimNtdll.INITIAL_BREAKPOINT_OFFSET,
                bp.exceptionRecord().address());
        f.resume(e);
        assertEquals(0, f.runToExit(pi.processId()));
    }

    @Test
    void s15_69_createThreadCarriesTheStartRoutineAndTheTeb() {
        AtomicReference<EThread> worker = new AtomicReference<>();
        GuestCode routine = w -> w.waitFor("t69.exit");
        ProcessInformation pi = launch(SimProgram.of("life69", g -> {
            EThread t = g.createThread(routine);
            worker.set(t);
            g.waitForThread(t);
        }));
        DebugEvent ct = until(e -> e.code() == DebugEventCode.CREATE_THREAD_DEBUG_EVENT, null);
        // The creator is frozen while CREATE_THREAD is out, so look the new thread up by its id.
        EThread t = f.kernel.clientIds().thread(Integer.toUnsignedLong(ct.threadId()));
        assertNotNull(t);
        assertEquals(f.process(pi.processId()), t.process());
        DebugEventInfo.CreateThreadDebugInfo info = (DebugEventInfo.CreateThreadDebugInfo) ct.info();
        assertEquals(t.win32StartAddress(), info.startAddress(), "lpStartAddress = the start routine");
        long exe = f.process(pi.processId()).image().base();
        assertTrue(info.startAddress() >= exe + ImageLayout.THREAD_START_RVA && info.startAddress() < exe + ImageLayout.EXE_SIZE,
                "the routine lives in the exe");
        assertEquals(t.teb().address(), info.threadLocalBase(), "lpThreadLocalBase = its TEB");
        assertEquals(info.threadLocalBase(), readLong(pi.process(), info.threadLocalBase() + 0x30), "NtTib.Self of that TEB");
        assertEquals(t.tid(), readLong(pi.process(), info.threadLocalBase() + 0x48), "ClientId.UniqueThread of that TEB");
        assertTrue(f.isOpen(info.thread()));
        f.resume(ct);
        f.machine.signal("t69.exit");
        assertEquals(0, f.runToExit(pi.processId()));
        assertEquals(t, worker.get(), "the thread CreateThread returned");
    }

    @Test
    void s15_70_threadExitsReportTheirCodesAndTheLastThreadOnlyExitProcess() {
        AtomicReference<EThread> a = new AtomicReference<>();
        AtomicReference<EThread> b = new AtomicReference<>();
        ProcessInformation pi = launch(SimProgram.of("life70", g -> {
            a.set(g.createThread(w -> w.exitThread(11)));
            b.set(g.createThread(w -> w.exitThread(22)));
            g.waitForThread(a.get());
            g.waitForThread(b.get());
        }));
        List<DebugEvent> events = runToExit(pi.processId());
        List<DebugEvent> exits = ofKind(events, DebugEventCode.EXIT_THREAD_DEBUG_EVENT);
        assertEquals(2, exits.size(), () -> "one EXIT_THREAD per non-last thread: " + exits);
        for (DebugEvent x : exits) {
            int expected = x.threadId() == (int) a.get().tid() ? 11 : x.threadId() == (int) b.get().tid() ? 22 : -1;
            assertEquals(expected, ((DebugEventInfo.ExitThreadDebugInfo) x.info()).exitCode(), () -> "exit code of " + x);
        }
        assertTrue(exits.stream().noneMatch(x -> x.threadId() == pi.threadId()), "no EXIT_THREAD for the last thread");
        DebugEvent last = events.getLast();
        assertEquals(DebugEventCode.EXIT_PROCESS_DEBUG_EVENT, last.code(), "EXIT_PROCESS comes after every EXIT_THREAD");
        assertEquals(1, ofKind(events, DebugEventCode.EXIT_PROCESS_DEBUG_EVENT).size());
        assertEquals(0, ((DebugEventInfo.ExitProcessDebugInfo) last.info()).exitCode());
    }

    @Test
    void s15_71_exitProcessComesFromTheLastExitingThreadWithTheProcessExitCode() {
        AtomicReference<EThread> worker = new AtomicReference<>();
        ProcessInformation pi = launch(SimProgram.of("life71", g -> {
            worker.set(g.createThread(w -> {
                w.waitFor("t71.go");
                w.exitThread(0x33);
            }));
            g.exitThread(7); // the initial thread leaves first
        }));
        List<DebugEvent> seen = new ArrayList<>();
        DebugEvent mainExit = until(e -> e.code() == DebugEventCode.EXIT_THREAD_DEBUG_EVENT, seen);
        assertEquals(pi.threadId(), mainExit.threadId());
        assertEquals(7, ((DebugEventInfo.ExitThreadDebugInfo) mainExit.info()).exitCode());
        f.resume(mainExit);
        f.machine.signal("t71.go");
        DebugEvent exit = until(e -> e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT, seen);
        assertEquals((int) worker.get().tid(), exit.threadId(), "EXIT_PROCESS names the last exiting thread");
        assertEquals(0x33, ((DebugEventInfo.ExitProcessDebugInfo) exit.info()).exitCode(), "the process exit code");
        f.resume(exit);
        assertEquals(0x33, SimDebugFixture.awaitExit(worker.get().process()));
    }

    @Test
    void s15_72_processTerminationReportsNoUnloadDll() {
        ProcessInformation pi = launch(SimProgram.of("life72", g -> {
            g.loadLibrary("kept72.dll");
            g.mapImageSection("C:\\data\\view72.dll");
            g.exitProcess(3);
        }).withImports("static72.dll"));
        List<DebugEvent> events = runToExit(pi.processId());
        assertTrue(ofKind(events, DebugEventCode.LOAD_DLL_DEBUG_EVENT).size() >= 6, "the loads were reported");
        assertEquals(List.of(), ofKind(events, DebugEventCode.UNLOAD_DLL_DEBUG_EVENT), "no UNLOAD_DLL at process exit");
        assertEquals(3, ((DebugEventInfo.ExitProcessDebugInfo) events.getLast().info()).exitCode());
    }

    @Test
    void s15_73_loadLibraryNamePointsAtTheTebSlotAndFreeLibraryUnloadsTheSameBase() {
        AtomicLong loaded = new AtomicLong();
        ProcessInformation pi = launch(SimProgram.of("life73", g -> {
            long base = g.loadLibrary("gamma73.dll");
            loaded.set(base);
            g.freeLibrary(base);
        }));
        EProcess process = f.process(pi.processId());
        long known = ImageLayout.DLL_REGION_64_START;
        DebugEvent load = until(e -> e.code() == DebugEventCode.LOAD_DLL_DEBUG_EVENT
                && ((DebugEventInfo.LoadDllDebugInfo) e.info()).baseOfDll() >= known
                && ((DebugEventInfo.LoadDllDebugInfo) e.info()).baseOfDll() < ImageLayout.DLL_REGION_64_END, null);
        DebugEventInfo.LoadDllDebugInfo info = (DebugEventInfo.LoadDllDebugInfo) load.info();
        EThread loader = process.threads().getFirst();
        assertEquals(loader.teb().arbitraryUserPointerAddress(), info.imageName(), "lpImageName = &TEB.ArbitraryUserPointer of the loading thread");
        assertTrue(info.unicode(), "fUnicode = 1");
        long namePointer = readLong(pi.process(), info.imageName());
        assertNotEquals(0L, namePointer);
        assertEquals(ImageLayout.SYSTEM32 + "gamma73.dll", readUtf16(pi.process(), namePointer), "the slot points at the DLL's path");
        assertEquals(ImageLayout.SYSTEM32 + "gamma73.dll", f.k32.getFinalPathNameByHandle(info.file()));
        f.resume(load);
        DebugEvent unload = f.next(DebugEventCode.UNLOAD_DLL_DEBUG_EVENT);
        assertEquals(info.baseOfDll(), ((DebugEventInfo.UnloadDllDebugInfo) unload.info()).baseOfDll(), "UNLOAD_DLL with the same base");
        assertEquals(loaded.get(), info.baseOfDll());
        f.resume(unload);
        f.k32.closeHandle(info.file());
        assertEquals(0, f.runToExit(pi.processId()));
    }

    @Test
    void s15_74_mappingAnImageSectionWithoutTheLoaderIsReportedToo() {
        AtomicLong mapped = new AtomicLong();
        ProcessInformation pi = launch(SimProgram.of("life74", g -> {
            long base = g.mapImageSection("C:\\data\\delta74.dll");
            mapped.set(base);
            g.unmapViewOfSection(base);
        }));
        EProcess process = f.process(pi.processId());
        DebugEvent load = until(e -> e.code() == DebugEventCode.LOAD_DLL_DEBUG_EVENT
                && "C:\\data\\delta74.dll".equals(f.k32.getFinalPathNameByHandle(((DebugEventInfo.LoadDllDebugInfo) e.info()).file())), null);
        long base = ((DebugEventInfo.LoadDllDebugInfo) load.info()).baseOfDll();
        synchronized (process.loaderList()) {
            assertTrue(process.loaderList().stream().noneMatch(m -> m.base() == base), "the loader is not involved");
        }
        f.resume(load);
        DebugEvent unload = f.next(DebugEventCode.UNLOAD_DLL_DEBUG_EVENT);
        assertEquals(base, ((DebugEventInfo.UnloadDllDebugInfo) unload.info()).baseOfDll());
        assertEquals(mapped.get(), base);
        f.resume(unload);
        assertEquals(0, f.runToExit(pi.processId()));
    }

    @Test
    void s15_75_wow64DebuggeeReportsBothNtdllsBeforeTheFirstBreakpoint() {
        ProcessInformation pi = launch(SimProgram.of("life75", g -> { }).withTraits(ProcessTraits.wow64I386()));
        List<DebugEvent> before = new ArrayList<>();
        DebugEvent firstException = until(e -> e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT, before);
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), exceptionCode(firstException));
        assertEquals(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT, before.get(0).code());
        List<Long> bases = infos(before, DebugEventInfo.LoadDllDebugInfo.class).stream().map(DebugEventInfo.LoadDllDebugInfo::baseOfDll).toList();
        assertEquals(ImageLayout.NTDLL_BASE, bases.get(0), "native ntdll first");
        assertEquals(ImageLayout.NTDLL32_BASE, bases.get(1), "then the 32-bit ntdll");
        assertEquals(1, bases.stream().filter(b -> b == ImageLayout.NTDLL_BASE).count());
        assertEquals(1, bases.stream().filter(b -> b == ImageLayout.NTDLL32_BASE).count());
        f.resume(firstException);
        DebugEvent wx86 = until(e -> e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT, null);
        assertEquals(NtStatus.STATUS_WX86_BREAKPOINT.value(), exceptionCode(wx86), "then the 32-bit initial breakpoint");
        f.resume(wx86);
        assertEquals(0, f.runToExit(pi.processId()));
    }

    @Test
    void s15_76_aThreadCreatedHiddenReportsNothingAndItsExceptionsGoToItsHandlers() {
        AtomicReference<EThread> hidden = new AtomicReference<>();
        AtomicBoolean handlerSaw = new AtomicBoolean();
        AtomicLong dll = new AtomicLong();
        ProcessInformation pi = launch(SimProgram.of("life76", g -> {
            EThread t = g.createThread(h -> {
                h.raiseException(0xE0000076, 0, null, p -> {
                    handlerSaw.set(true);
                    return ExceptionDisposition.EXECUTE_HANDLER;
                });
                long base = h.loadLibrary("hidden76.dll");
                dll.set(base);
                h.freeLibrary(base);
                h.unmapViewOfSection(h.mapImageSection("C:\\data\\hidden76.dll"));
                h.exitThread(0x76);
            }, false, true);
            hidden.set(t);
            g.waitForThread(t);
            g.outputDebugStringA("after76");
        }));
        List<DebugEvent> events = runToExit(pi.processId());
        int tid = (int) hidden.get().tid();
        assertEquals(List.of(), events.stream().filter(e -> e.threadId() == tid).toList(), "nothing at all from the hidden thread");
        assertTrue(infos(events, DebugEventInfo.LoadDllDebugInfo.class).stream().noneMatch(l -> l.baseOfDll() == dll.get()));
        assertTrue(infos(events, DebugEventInfo.UnloadDllDebugInfo.class).isEmpty(), "no map/unmap reports");
        assertTrue(handlerSaw.get(), "its exception went to its own handler");
        assertEquals(0x76, hidden.get().exitStatus());
        assertEquals(1, infos(events, DebugEventInfo.OutputDebugStringInfo.class).size(), "the rest of the process still reports");
    }

    @Test
    void s15_76_threadHideFromDebuggerSetLaterSilencesTheRestOfItsLife() {
        AtomicReference<EThread> worker = new AtomicReference<>();
        AtomicReference<NtStatus> set = new AtomicReference<>();
        AtomicBoolean handlerSaw = new AtomicBoolean();
        ProcessInformation pi = launch(SimProgram.of("life76b", g -> {
            EThread t = g.createThread(w -> {
                set.set(w.kernel().processInformation().hideFromDebugger(w.thread(), ProcessorMode.USER, Handle.CURRENT_THREAD, 0));
                w.raiseException(0xE0000077, 0, null, p -> {
                    handlerSaw.set(true);
                    return ExceptionDisposition.EXECUTE_HANDLER;
                });
                w.exitThread(5);
            });
            worker.set(t);
            g.waitForThread(t);
        }));
        List<DebugEvent> events = runToExit(pi.processId());
        int tid = (int) worker.get().tid();
        assertEquals(NtStatus.STATUS_SUCCESS, set.get());
        List<DebugEvent> fromWorker = events.stream().filter(e -> e.threadId() == tid).toList();
        assertEquals(List.of(DebugEventCode.CREATE_THREAD_DEBUG_EVENT), fromWorker.stream().map(DebugEvent::code).toList(),
                "created before it hid; no exception and no EXIT_THREAD after");
        assertTrue(handlerSaw.get());
    }

    @Test
    void s15_77_suppressDebugMsgHidesMappingsOfThatThread() {
        AtomicLong quiet = new AtomicLong();
        AtomicLong loud = new AtomicLong();
        ProcessInformation pi = launch(SimProgram.of("life77", g -> {
            g.setSuppressDebugMessages(true);
            long q = g.loadLibrary("quiet77.dll");
            quiet.set(q);
            g.freeLibrary(q);
            g.unmapViewOfSection(g.mapImageSection("C:\\data\\quiet77view.dll"));
            g.setSuppressDebugMessages(false);
            loud.set(g.loadLibrary("loud77.dll"));
        }));
        List<DebugEvent> events = runToExit(pi.processId());
        List<String> loads = infos(events, DebugEventInfo.LoadDllDebugInfo.class).stream()
                .map(l -> f.k32.getFinalPathNameByHandle(l.file())).toList();
        assertFalse(loads.contains(ImageLayout.SYSTEM32 + "quiet77.dll"), "no LOAD_DLL while SuppressDebugMsg is set");
        assertFalse(loads.contains("C:\\data\\quiet77view.dll"), "nor for a section view");
        assertTrue(infos(events, DebugEventInfo.UnloadDllDebugInfo.class).isEmpty(), "no UNLOAD_DLL either");
        assertTrue(loads.contains(ImageLayout.SYSTEM32 + "loud77.dll"), "reported again once the bit is clear");
        assertTrue(infos(events, DebugEventInfo.LoadDllDebugInfo.class).stream().anyMatch(l -> l.baseOfDll() == loud.get()));
    }

    @Test
    void s15_78_kernelModeMappingsProduceNoLoadDll() {
        ProcessInformation pi = launch(SimProgram.of("life78", g -> {
            g.signal("p78.ready");
            g.waitFor("p78.go");
        }));
        List<DebugEvent> startup = drainUntilSignal("p78.ready");
        EProcess process = f.process(pi.processId());
        List<Long> loads = infos(startup, DebugEventInfo.LoadDllDebugInfo.class).stream().map(DebugEventInfo.LoadDllDebugInfo::baseOfDll).toList();
        assertFalse(loads.contains(process.image().base()), "the exe, mapped by the kernel, is described by CREATE_PROCESS only");
        assertEquals(1, loads.stream().filter(b -> b == ImageLayout.NTDLL_BASE).count(), "ntdll only through Dbgk's own message");

        // A kernel-mode image mapping into the debugged process (as process creation does): no event, no wait.
        EThread thread = process.threads().getFirst();
        ImageInfo image = ImageLayout.image("C:\\data\\kernel78.dll", 0x7FF8_4000_0000L, ImageLayout.DLL_SIZE, false);
        CompletionStage<Void> map = f.kernel.debuggerHooks().mapViewOfSection(process, thread, image, false);
        CompletionStage<Void> unmap = f.kernel.debuggerHooks().unmapViewOfSection(process, thread, image.base(), false);
        assertTrue(map.toCompletableFuture().isDone() && unmap.toCompletableFuture().isDone(), "nothing to wait for");
        f.assertNoEvent(QUIET_MS);
        f.machine.signal("p78.go");
        assertEquals(0, f.runToExit(pi.processId()));
    }
}
