package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.io.FileObject;
import dev.debugport.kernel.ob.HandleEntry;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.SimProgram;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * spec/dbgk.md §15 items 27–31 and 37: the fake start-up events of NtDebugActiveProcess — their order, payloads,
 * the suspension they hold, the 500-entry module bound — and a second full set after detach and re-attach.
 */
class AttachFakeEventsTest extends AttachTestSupport {
    private static final int FILE_READ_DATA = 0x1;

    /**
     * Reads the fake events an attach queues to a target with {@code threads} (creation order) and asserts the
     * Windows order: CREATE_PROCESS (first thread), LOAD_DLL ntdll, CREATE_THREAD for each other thread, LOAD_DLL for
     * each loader entry after exe and ntdll (first thread); then nothing. Each event is continued.
     */
    private List<DebugEvent> assertFullFakeSet(EProcess target) {
        List<EThread> threads = List.copyOf(target.threads());
        int pid = (int) target.pid();
        int t1 = (int) threads.getFirst().tid();
        List<DebugEvent> events = new ArrayList<>();

        DebugEvent cp = next(f.k32, DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals(pid, cp.processId());
        assertEquals(t1, cp.threadId());
        events.add(cp);
        resume(f.k32, cp);

        DebugEvent ntdll = next(f.k32, DebugEventCode.LOAD_DLL_DEBUG_EVENT);
        assertEquals(ntdll(target).base(), loadDll(ntdll).baseOfDll(), "ntdll comes right after CREATE_PROCESS");
        assertEquals(t1, ntdll.threadId());
        events.add(ntdll);
        resume(f.k32, ntdll);

        for (EThread t : threads.subList(1, threads.size())) {
            DebugEvent ct = next(f.k32, DebugEventCode.CREATE_THREAD_DEBUG_EVENT);
            assertEquals((int) t.tid(), ct.threadId(), "CREATE_THREAD in creation order");
            assertEquals(pid, ct.processId());
            events.add(ct);
            resume(f.k32, ct);
        }

        for (ImageInfo module : modulesAfterNtdll(target)) {
            DebugEvent ld = next(f.k32, DebugEventCode.LOAD_DLL_DEBUG_EVENT);
            assertEquals(module.base(), loadDll(ld).baseOfDll(), () -> "expected " + module.path() + " in load order");
            assertNotEquals(ntdll(target).base(), loadDll(ld).baseOfDll(), "no second ntdll");
            assertNotEquals(target.image().base(), loadDll(ld).baseOfDll(), "never the exe");
            assertEquals(t1, ld.threadId());
            events.add(ld);
            resume(f.k32, ld);
        }
        assertNoEvent(f.k32, 200);
        return events;
    }

    @Test
    void s15_27_fakeEventOrder() {
        EProcess target = startIdle(3, "alpha.dll", "beta.dll");
        assertEquals(4, target.threads().size());
        assertTrue(modulesAfterNtdll(target).size() >= 5, "kernel32, KernelBase, user32, alpha, beta");
        ntAttachWithDbgUi(target);
        List<DebugEvent> events = assertFullFakeSet(target);
        assertEquals(1 + 1 + 3 + modulesAfterNtdll(target).size(), events.size());
    }

    @Test
    void s15_28_fakeCreateProcessPayload() {
        EProcess target = startIdle(0);
        ntAttachWithDbgUi(target);
        DebugEvent e = next(f.k32, DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        DebugEventInfo.CreateProcessDebugInfo cp = createProcess(e);
        assertEquals(0, cp.startAddress(), "a fake CREATE_PROCESS has no start address");
        assertEquals(0, cp.imageName());
        assertTrue(cp.unicode());
        assertEquals(target.image().base(), cp.baseOfImage());
        assertEquals(target.image().debugInfoFileOffset(), cp.debugInfoFileOffset());
        assertEquals(target.image().debugInfoSize(), cp.debugInfoSize());
        assertFalse(cp.file().isNull());
        HandleEntry file = f.kernel.services().lookupHandle(f.debuggerThread, cp.file());
        assertTrue(file.object() instanceof FileObject);
        assertTrue(target.image().path().equalsIgnoreCase(((FileObject) file.object()).path()));
        assertEquals(FILE_READ_DATA, file.grantedAccess() & FILE_READ_DATA, "hFile is readable (GENERIC_READ mapped)");
        byte[] header = new byte[2];
        assertEquals(2, ((FileObject) file.object()).read(0, header, 0, 2));
        assertEquals('M', header[0]);
        assertEquals('Z', header[1]);
        assertFalse(cp.process().isNull());
        assertFalse(cp.thread().isNull());
        resume(f.k32, e);
        drain(f.k32, 200);
    }

    @Test
    void s15_28_unreadableImageGivesANullFileHandle() {
        EProcess target = startIdle(0);
        assertTrue(f.machine.files().setReadable(target.image().path(), false));
        ntAttachWithDbgUi(target);
        DebugEvent e = next(f.k32, DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        DebugEventInfo.CreateProcessDebugInfo cp = createProcess(e);
        assertTrue(cp.file().isNull(), "no hFile when the image cannot be opened");
        assertEquals(target.image().base(), cp.baseOfImage());
        resume(f.k32, e);
        drain(f.k32, 200);
    }

    @Test
    void s15_29_fakeLoadDllAndCreateThreadPayloads() {
        EProcess target = startIdle(2, "alpha.dll");
        ntAttachWithDbgUi(target);
        List<DebugEvent> events = drain(f.k32, 200);
        List<EThread> threads = target.threads();
        int loadDlls = 0;
        int createThreads = 0;
        for (DebugEvent e : events) {
            if (e.info() instanceof DebugEventInfo.LoadDllDebugInfo ld) {
                loadDlls++;
                assertEquals(0, ld.imageName(), () -> "fake LOAD_DLL has no name pointer: " + e);
                assertTrue(ld.unicode());
                assertFalse(ld.file().isNull(), "the DLL's file is readable");
            } else if (e.info() instanceof DebugEventInfo.CreateThreadDebugInfo ct) {
                createThreads++;
                EThread t = threads.stream().filter(x -> x.tid() == e.threadId()).findFirst().orElseThrow();
                assertEquals(t.win32StartAddress(), ct.startAddress());
                assertNotEquals(0, ct.startAddress());
                assertEquals(t.teb().address(), ct.threadLocalBase());
            }
        }
        assertEquals(2, createThreads);
        assertEquals(1 + modulesAfterNtdll(target).size(), loadDlls);
    }

    @Test
    void s15_30_fakeCreateEventsHoldTheirThreadSuspended() {
        String go = "go";
        EProcess target = startUndebugged(new SimProgram("suspension", ProcessTraits.NATIVE, List.of(), g -> {
            List<EThread> workers = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                String ran = "ran." + i;
                String up = "up." + i;
                workers.add(g.createThread(w -> {
                    w.signal(up);
                    w.waitFor(go);
                    w.signal(ran);
                    w.waitFor(EXIT);
                }));
                g.waitFor(up);
            }
            g.signal(READY);
            g.waitFor(go);
            g.signal("ran.0");
            g.waitFor(EXIT);
            workers.forEach(g::waitForThread);
        }), READY);
        List<EThread> threads = List.copyOf(target.threads());
        ntAttachWithDbgUi(target);
        // Every thread is suspended by the attach; let them all try to run.
        f.machine.signal(go);

        DebugEvent cp = next(f.k32, DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        Handle hThread = createProcess(cp).thread();
        int previous = f.k32.suspendThread(hThread);
        assertTrue(previous >= 1, "the fake CREATE_PROCESS holds its thread suspended, count was " + previous);
        assertEquals(previous + 1, f.k32.resumeThread(hThread));
        for (EThread t : threads) {
            assertTrue(t.runState().suspendCount() >= 1, () -> t + " must be suspended while the fakes are out");
        }
        assertFalse(f.machine.isSignalled("ran.0"));
        resume(f.k32, cp);
        awaitSignal("ran.0"); // the first thread runs once its event was continued

        DebugEvent ntdll = next(f.k32, DebugEventCode.LOAD_DLL_DEBUG_EVENT);
        for (int i = 1; i <= 2; i++) {
            assertTrue(threads.get(i).runState().suspendCount() >= 1, "fake LOAD_DLL releases no CREATE_THREAD thread");
        }
        resume(f.k32, ntdll);

        for (int i = 1; i <= 2; i++) {
            DebugEvent ct = next(f.k32, DebugEventCode.CREATE_THREAD_DEBUG_EVENT);
            EThread t = threads.get(i);
            assertEquals((int) t.tid(), ct.threadId());
            int count = f.k32.suspendThread(createThread(ct).thread());
            assertTrue(count >= 1, "CREATE_THREAD fake holds its thread suspended, count was " + count);
            f.k32.resumeThread(createThread(ct).thread());
            assertFalse(f.machine.isSignalled("ran." + i), "the thread cannot run before its event is continued");
            for (int j = i + 1; j <= 2; j++) {
                assertTrue(threads.get(j).runState().suspendCount() >= 1);
            }
            resume(f.k32, ct);
            awaitSignal("ran." + i);
            assertEquals(0, t.runState().suspendCount());
        }
        drain(f.k32, 200);
    }

    @Test
    void s15_31_moduleMessagesAreBoundedByFiveHundredLoaderEntries() {
        String[] dlls = new String[510];
        for (int i = 0; i < dlls.length; i++) {
            dlls[i] = String.format("mod%03d.dll", i);
        }
        EProcess target = startIdle(0, dlls);
        List<ImageInfo> loaderList;
        synchronized (target.loaderList()) {
            loaderList = List.copyOf(target.loaderList());
        }
        assertTrue(loaderList.size() > 500, "more than 500 loader entries: " + loaderList.size());
        ntAttachWithDbgUi(target);
        List<DebugEvent> events = drain(f.k32, 300);
        List<Long> bases = events.stream().filter(e -> e.code() == DebugEventCode.LOAD_DLL_DEBUG_EVENT)
                .map(e -> loadDll(e).baseOfDll()).toList();
        assertEquals(1 + 498, bases.size(), "ntdll plus 498 module messages (entries 2..499; Windows)");
        assertEquals(ntdll(target).base(), bases.getFirst());
        for (int i = 2; i < 500; i++) {
            assertEquals(loaderList.get(i).base(), bases.get(i - 1), "entry " + i);
        }
        assertFalse(bases.contains(loaderList.get(500).base()), "entry 500 is beyond the bound");
    }

    @Test
    void s15_37_reattachAfterDetachDeliversAFullNewSet() {
        EProcess target = startIdle(2, "alpha.dll");
        Handle object = connect();
        Handle process = openProcess(target, AccessMask.PROCESS_ALL_ACCESS);
        assertEquals(NtStatus.STATUS_SUCCESS, ntAttach(process, object));
        List<DebugEvent> first = assertFullFakeSet(target);

        assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().stopDebugging(process));
        assertFalse(target.peb().beingDebugged());

        assertEquals(NtStatus.STATUS_SUCCESS, ntAttach(process, object));
        List<DebugEvent> second = assertFullFakeSet(target);
        assertEquals(first.stream().map(DebugEvent::code).toList(), second.stream().map(DebugEvent::code).toList());
        assertEquals(first.stream().map(DebugEvent::threadId).toList(), second.stream().map(DebugEvent::threadId).toList());
        f.machine.signal(EXIT);
        assertEquals(MAIN_EXIT, f.runToExit((int) target.pid()));
    }
}
