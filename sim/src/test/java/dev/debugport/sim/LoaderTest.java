package dev.debugport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.mm.MemoryAccess;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.kernel.ps.Peb;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.kernel.ps.Teb;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.image.ImageLayout;
import dev.debugport.sim.image.SimNtdll;
import dev.debugport.sim.memory.SimMemory;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoaderTest extends SimTestBase {
    private static List<String> names(List<ImageInfo> list) {
        synchronized (list) {
            return list.stream().map(ImageInfo::baseName).toList();
        }
    }

    @Test
    void loadLibraryMapsReportsWithANamePointerAndLinksTheModule() {
        RecordingHooks hooks = installRecordingHooks();
        AtomicLong base = new AtomicLong();
        AtomicLong slotAfter = new AtomicLong(-1);
        machine.stopPoints().arm("loaded");
        EProcess p = start(SimProgram.of("ll", g -> {
            base.set(g.loadLibrary("alpha.dll"));
            slotAfter.set(MemoryAccess.readLong(g.process().memory(), g.thread().teb().arbitraryUserPointerAddress()).orElseThrow());
            g.point("loaded");
        })).process();
        assertTrue(machine.stopPoints().awaitReached("loaded", TIMEOUT));
        RecordingHooks.MapCall call = hooks.maps.getLast();
        assertEquals(base.get(), call.image().base());
        assertEquals("C:\\Windows\\System32\\alpha.dll", call.image().path());
        assertTrue(call.userMode());
        assertEquals(p.threads().getFirst(), call.mapper());
        assertEquals("C:\\Windows\\System32\\alpha.dll", call.nameAtSlot(), "TEB.ArbitraryUserPointer -> the UTF-16 path");
        assertEquals(0, slotAfter.get(), "the loader restores the slot after mapping");
        assertEquals("alpha.dll", names(p.loaderList()).getLast());
        assertTrue(base.get() >= ImageLayout.DLL_REGION_64_START && base.get() < ImageLayout.DLL_REGION_64_END);
        assertEquals('M', MemoryAccess.readByte(p.memory(), base.get()).orElseThrow());
        assertTrue(machine.files().exists("C:\\Windows\\System32\\alpha.dll"));
        machine.stopPoints().release("loaded");
        assertEquals(0, exitCodeOf(p));
    }

    @Test
    void loadCountsAndFreeLibraryReportTheUnmapOnlyAtZero() {
        RecordingHooks hooks = installRecordingHooks();
        AtomicLong base = new AtomicLong();
        AtomicBoolean kernel32Freed = new AtomicBoolean();
        machine.stopPoints().arm("once");
        machine.stopPoints().arm("twice");
        EProcess p = start(SimProgram.of("counts", g -> {
            base.set(g.loadLibrary("beta.dll"));
            assertEquals(base.get(), g.loadLibrary("BETA.DLL"));
            assertTrue(g.freeLibrary(base.get()));
            g.point("once");
            assertTrue(g.freeLibrary(base.get()));
            g.point("twice");
            assertFalse(g.freeLibrary(base.get()));
            kernel32Freed.set(g.freeLibrary(ImageLayout.KERNEL32_BASE));
        })).process();
        assertTrue(machine.stopPoints().awaitReached("once", TIMEOUT));
        assertEquals(1, hooks.maps.stream().filter(m -> m.image().baseName().equals("beta.dll")).count());
        assertTrue(hooks.unmaps.isEmpty());
        assertTrue(names(p.loaderList()).contains("beta.dll"));
        machine.stopPoints().release("once");
        assertTrue(machine.stopPoints().awaitReached("twice", TIMEOUT));
        assertEquals(List.of(base.get()), hooks.unmaps);
        assertFalse(names(p.loaderList()).contains("beta.dll"));
        assertFalse(((SimMemory) p.memory()).isMapped(base.get()));
        machine.stopPoints().release("twice");
        assertEquals(0, exitCodeOf(p));
        assertTrue(kernel32Freed.get(), "FreeLibrary of a static import succeeds");
        assertEquals(List.of(base.get()), hooks.unmaps, "and does not unload it");
    }

    @Test
    void anImageSectionViewIsReportedWithoutTouchingTheLoaderLists() {
        RecordingHooks hooks = installRecordingHooks();
        AtomicLong view = new AtomicLong();
        machine.stopPoints().arm("mapped");
        EProcess p = start(SimProgram.of("section", g -> {
            view.set(g.mapImageSection("C:\\sim\\data.dll"));
            g.point("mapped");
            assertTrue(g.unmapViewOfSection(view.get()));
            assertFalse(g.unmapViewOfSection(view.get()));
        })).process();
        assertTrue(machine.stopPoints().awaitReached("mapped", TIMEOUT));
        int listSize = p.loaderList().size();
        RecordingHooks.MapCall call = hooks.maps.getLast();
        assertEquals(view.get(), call.image().base());
        assertEquals(0, call.nameSlotValue(), "no loader, no name pointer");
        assertFalse(names(p.loaderList()).contains("data.dll"));
        machine.stopPoints().release("mapped");
        assertEquals(0, exitCodeOf(p));
        assertEquals(List.of(view.get()), hooks.unmaps);
        assertEquals(listSize, p.loaderList().size());
    }

    @Test
    void theSuppressDebugMsgBitIsVisibleToTheMapHook() {
        RecordingHooks hooks = installRecordingHooks();
        EProcess p = start(SimProgram.of("suppress", g -> {
            g.setSuppressDebugMessages(true);
            g.mapImageSection("C:\\sim\\quiet.dll");
            g.setSuppressDebugMessages(false);
            g.mapImageSection("C:\\sim\\loud.dll");
        })).process();
        assertEquals(0, exitCodeOf(p));
        List<RecordingHooks.MapCall> calls = hooks.maps.stream().filter(m -> m.image().path().startsWith("C:\\sim\\")).toList();
        assertEquals(Teb.SUPPRESS_DEBUG_MSG, calls.get(0).sameTebFlags() & Teb.SUPPRESS_DEBUG_MSG);
        assertEquals(0, calls.get(1).sameTebFlags() & Teb.SUPPRESS_DEBUG_MSG);
    }

    @Test
    void theLoaderReportsTheUserModeMappingsOfStaticDllsButNotExeOrNtdll() {
        RecordingHooks hooks = installRecordingHooks();
        EProcess p = start(new SimProgram("statics", ProcessTraits.NATIVE, List.of("user32.dll"), g -> g.point("main"))).process();
        assertEquals(0, exitCodeOf(p));
        assertEquals(List.of("map kernel32.dll", "map KernelBase.dll", "map user32.dll"),
                hooks.log.stream().filter(s -> s.startsWith("map")).toList());
        assertTrue(hooks.maps.stream().allMatch(m -> m.nameAtSlot() != null && m.nameAtSlot().equals(m.image().path())));
        int lastMap = hooks.log.lastIndexOf("map user32.dll");
        int create = hooks.log.indexOf("create " + p.threads().getFirst().tid());
        assertTrue(create < lastMap, "creation is reported before the loader runs");
    }

    @Test
    void aProcessCreatedUnderADebuggerGetsDebugHeapFlagsAndTheInitialBreakpoint() {
        RecordingHooks hooks = installRecordingHooks();
        hooks.markChildrenDebugged = true; // what DbgkCopyProcessDebugPort + DbgkpMarkProcessPeb do
        EProcess p = start(SimProgram.of("launched", g -> g.point("main"))).process();
        assertEquals(0, exitCodeOf(p), "the initial breakpoint, not handled, does not kill the process");
        assertEquals(Peb.DEBUGGED_GLOBAL_FLAGS, p.peb().ntGlobalFlag().orElseThrow() & Peb.DEBUGGED_GLOBAL_FLAGS);
        List<RecordingHooks.ExceptionCall> bps = hooks.debugPortExceptions(NtStatus.STATUS_BREAKPOINT.value());
        assertEquals(1, bps.size());
        long expected = machine.platform().systemRoutineAddress(p, SimNtdll.LDRP_DO_DEBUGGER_BREAK) + SimNtdll.INITIAL_BREAKPOINT_OFFSET;
        assertEquals(expected, bps.getFirst().record().address());
        assertEquals(expected + 1, bps.getFirst().context().rip());
        assertTrue(hooks.log.indexOf("map KernelBase.dll") < hooks.log.indexOf("exception 80000003 first"));
        assertEquals(1, machine.stopPoints().hits("main"));
    }

    @Test
    void aProcessNotLaunchedUnderADebuggerHasNoDebugHeapFlagsAndNoInitialBreakpoint() {
        RecordingHooks hooks = installRecordingHooks();
        EProcess p = start(SimProgram.of("plain", g -> { })).process();
        assertEquals(0, exitCodeOf(p));
        assertEquals(0, p.peb().ntGlobalFlag().orElseThrow());
        assertTrue(hooks.exceptions.isEmpty());
    }

    @Test
    void aWow64ProcessReportsItsWow64DllsAnd32BitDllsThenBothBreakpoints() {
        RecordingHooks hooks = installRecordingHooks();
        hooks.markChildrenDebugged = true;
        EProcess p = start(SimProgram.of("wow", g -> { }).withTraits(ProcessTraits.wow64I386())).process();
        assertEquals(0, exitCodeOf(p));
        assertEquals(List.of("map wow64.dll", "map wow64win.dll", "map wow64cpu.dll", "map kernel32.dll", "map KernelBase.dll",
                "exception 80000003 first", "exception 4000001f first"),
                hooks.log.stream().filter(s -> s.startsWith("map") || s.startsWith("exception ")).toList());
        assertEquals(Peb.DEBUGGED_GLOBAL_FLAGS, p.peb32().ntGlobalFlag().orElseThrow() & Peb.DEBUGGED_GLOBAL_FLAGS);
        RecordingHooks.MapCall kernel32 = hooks.maps.get(3);
        assertEquals(ImageInfo.MACHINE_I386, kernel32.image().machine());
    }

    @Test
    void aWow64LoadLibraryGoesTo32BitListBelow4GiB() {
        AtomicLong base = new AtomicLong();
        EProcess p = start(SimProgram.of("wowll", g -> base.set(g.loadLibrary("delta.dll"))).withTraits(ProcessTraits.wow64I386())).process();
        assertEquals(0, exitCodeOf(p));
        assertTrue(base.get() < 0x1_0000_0000L);
        ImageInfo last = p.loaderList32().getLast();
        assertEquals("C:\\Windows\\SysWOW64\\delta.dll", last.path());
        assertEquals(ImageInfo.MACHINE_I386, last.machine());
    }

    @Test
    void twoThreadsLoadingTheSameDllMapItOnce() {
        RecordingHooks hooks = installRecordingHooks();
        machine.stopPoints().arm("go");
        EProcess p = start(SimProgram.of("race", g -> {
            EThread other = g.createThread(w -> {
                w.point("go");
                w.loadLibrary("shared.dll");
            });
            g.point("go");
            g.loadLibrary("shared.dll");
            g.waitForThread(other);
        })).process();
        assertTrue(machine.stopPoints().awaitReached("go", 2, TIMEOUT));
        machine.stopPoints().release("go");
        assertEquals(0, exitCodeOf(p));
        assertEquals(1, hooks.maps.stream().filter(m -> m.image().baseName().equals("shared.dll")).count());
    }
}
