package dev.debugport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.mm.MemoryAccess;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessManager;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.image.ImageLayout;
import dev.debugport.sim.memory.SimMemory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadLifecycleTest extends SimTestBase {
    @Test
    void returningFromMainExitsTheLastThreadWithZero() {
        ProcessManager.CreatedProcess p = start(SimProgram.of("ret", g -> { }));
        assertEquals(0, exitCodeOf(p.process()));
        assertEquals(0, p.initialThread().exitStatus());
        awaitState(p.initialThread(), SimThreadState.EXITED);
    }

    @Test
    void theLastThreadsExitCodeIsTheProcessExitCode() {
        AtomicReference<EThread> worker = new AtomicReference<>();
        ProcessManager.CreatedProcess p = start(SimProgram.of("codes", g -> {
            worker.set(g.createThread(w -> {
                w.waitFor("worker.go");
                w.exitThread(9);
            }));
            g.exitThread(5);
        }));
        assertEquals(5, exitCodeOf(p.initialThread()));
        assertFalse(p.process().hasExited(), "the worker still runs");
        machine.signal("worker.go");
        assertEquals(9, exitCodeOf(p.process()));
        assertEquals(9, worker.get().exitStatus());
    }

    @Test
    void threadsExitWithTheirOwnCodes() {
        List<EThread> workers = new CopyOnWriteArrayList<>();
        EProcess p = start(SimProgram.of("threads", g -> {
            for (int code : new int[] {0x11, 0x22}) {
                EThread t = g.createThread(w -> w.exitThread(code));
                workers.add(t);
                g.waitForThread(t);
            }
            g.exitThread(0x33);
        })).process();
        assertEquals(0x33, exitCodeOf(p));
        assertEquals(0x11, workers.get(0).exitStatus());
        assertEquals(0x22, workers.get(1).exitStatus());
    }

    @Test
    void exitProcessFromAWorkerUnwindsEveryThread() {
        ProcessManager.CreatedProcess p = start(SimProgram.of("kill", g -> {
            g.createThread(w -> w.exitProcess(0x42));
            g.waitFor("never");
            g.point("main.after.wait");
        }));
        assertEquals(0x42, exitCodeOf(p.process()));
        assertEquals(0x42, p.initialThread().exitStatus());
        assertEquals(0, machine.stopPoints().hits("main.after.wait"), "main was unwound, not woken");
    }

    @Test
    void aJavaExceptionEscapingGuestCodeIsAnUnhandledGuestException() {
        RecordingHooks hooks = installRecordingHooks();
        EProcess p = start(SimProgram.of("npe", g -> {
            throw new IllegalStateException("guest bug");
        })).process();
        assertEquals(SimPlatform.JAVA_EXCEPTION_CODE, exitCodeOf(p));
        List<RecordingHooks.ExceptionCall> seen = hooks.debugPortExceptions(SimPlatform.JAVA_EXCEPTION_CODE);
        assertEquals(2, seen.size(), "first and second chance");
        assertTrue(seen.get(0).record().isNoncontinuable());
    }

    @Test
    void eachRoutineGetsOneStartAddressInsideTheExe() {
        List<EThread> threads = new CopyOnWriteArrayList<>();
        EProcess p = start(SimProgram.of("starts", g -> {
            GuestCode a = w -> { };
            GuestCode b = w -> { };
            threads.add(g.createThread(a));
            threads.add(g.createThread(a));
            threads.add(g.createThread(b));
            threads.forEach(g::waitForThread);
        })).process();
        exitCodeOf(p);
        assertEquals(threads.get(0).startAddress(), threads.get(1).startAddress());
        assertNotEquals(threads.get(0).startAddress(), threads.get(2).startAddress());
        for (EThread t : threads) {
            assertTrue(t.startAddress() > p.image().base() && t.startAddress() < p.image().end());
            assertEquals(t.startAddress(), t.win32StartAddress());
        }
    }

    @Test
    void eachThreadHasATebAndAStackAndStartsWithRipAtItsStartAddress() {
        ProcessManager.CreatedProcess p = start(SimProgram.of("teb", g -> g.waitFor("never")));
        EThread t = p.initialThread();
        long teb = t.teb().address();
        SimMemory memory = (SimMemory) p.process().memory();
        assertTrue(memory.isMapped(teb) && memory.isMapped(teb + ImageLayout.TEB_SIZE - 1));
        assertEquals(teb, MemoryAccess.readLong(p.process().memory(), teb + 0x30).orElseThrow(), "NtTib.Self");
        assertEquals(t.tid(), MemoryAccess.readLong(p.process().memory(), teb + 0x48).orElseThrow(), "ClientId.UniqueThread");
        int wrote = MemoryAccess.writeUtf16z(p.process().memory(), t.teb().staticUnicodeBufferAddress(), "x".repeat(260));
        assertEquals(0x20A, wrote, "StaticUnicodeBuffer fits in the TEB");

        // Through NtGetContextThread from the host, as a debugger would.
        UserPointer<Handle> h = UserPointer.empty();
        assertEquals(NtStatus.STATUS_SUCCESS, machine.kernel().services().openThread(host, ProcessorMode.USER, h, AccessMask.THREAD_GET_CONTEXT, t.tid()));
        UserPointer<Amd64Context> ctx = UserPointer.empty();
        assertEquals(NtStatus.STATUS_SUCCESS, machine.kernel().services().getContextThread(host, ProcessorMode.USER, h.get(), ctx));
        assertEquals(p.process().image().entryPoint(), ctx.get().rip());
        assertTrue(memory.isMapped(ctx.get().rsp()), "the stack is mapped");
    }

    @Test
    void aThreadStartedAtAnUnknownAddressWithNoCodeCannotBeCreated() {
        EProcess p = start(SimProgram.of("unknown", g -> g.waitFor("never"))).process();
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER,
                machine.kernel().processes().createThread(p, 0x12345678L, null, false, false).status());
    }
}
