package dev.debugport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.memory.SimMemory;
import org.junit.jupiter.api.Test;

class HostThreadTest extends SimTestBase {
    @Test
    void aHostThreadHasAProcessAHandleTableAndATeb() {
        EThread debugger = machine.createHostThread("debugger.exe");
        EProcess process = debugger.process();
        assertEquals("debugger.exe", process.image().baseName());
        assertEquals(SimThreadState.HOST, machine.threadState(debugger));
        assertTrue(((SimMemory) process.memory()).isMapped(debugger.teb().address()));
        assertTrue(debugger.teb().debugObjectHandle().isNull());
        assertNotEquals(host.process().pid(), process.pid());
        assertEquals(process, machine.kernel().clientIds().process(process.pid()));

        UserPointer<Handle> h = UserPointer.empty();
        assertEquals(NtStatus.STATUS_SUCCESS, machine.kernel().services().openProcess(debugger, ProcessorMode.USER, h,
                AccessMask.PROCESS_QUERY_INFORMATION, host.process().pid()));
        assertEquals(1, process.handleTable().size());
    }

    @Test
    void exitingTheLastHostThreadEndsTheHostProcessAndClosesItsHandles() {
        EProcess process = machine.createHostProcess("two.exe", ProcessTraits.NATIVE);
        EThread first = process.threads().getFirst();
        EThread second = machine.addHostThread(process);
        UserPointer<Handle> h = UserPointer.empty();
        machine.kernel().services().openProcess(first, ProcessorMode.USER, h, AccessMask.PROCESS_QUERY_INFORMATION, host.process().pid());
        second.teb().setDebugObjectHandle(h.get()); // stands for a DbgUi handle: PspExitThread closes it

        machine.exitHostThread(second, 3);
        assertTrue(second.hasExited());
        assertTrue(second.teb().debugObjectHandle().isNull());
        assertEquals(0, process.handleTable().size(), "the DbgSsReserved[1] handle was closed");
        assertFalse(process.hasExited());
        machine.exitHostThread(first, 4);
        assertEquals(4, exitCodeOf(process));
        assertThrows(IllegalArgumentException.class, () -> machine.addHostThread(machine.kernel().systemProcess()));
    }

    @Test
    void hostProcessesCanBeWow64OrProtected() {
        EThread wow = machine.createHostThread("dbg32.exe", ProcessTraits.wow64I386());
        assertTrue(wow.process().traits().isWow64_32());
        assertTrue(wow.process().peb32() != null);
        EThread prot = machine.createHostThread("ppl.exe", ProcessTraits.protectedAt(3));
        assertEquals(3, prot.process().traits().protectionLevel());
    }

    @Test
    void aHostThreadIsTheCallerOfGuestCreation() {
        EThread debugger = machine.createHostThread("creator.exe");
        var created = machine.createProcess(debugger, SimProgram.of("child", g -> { }));
        assertTrue(created.isSuccess());
        assertEquals(debugger.process().pid(), created.value().process().parentPid());
        assertEquals(0, exitCodeOf(created.value().process()));
    }
}
