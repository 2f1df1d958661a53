package dev.debugport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.nt.Handle;
import dev.debugport.nt.InformationClass;
import dev.debugport.nt.NtStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What anti-debug code in a guest can look at. */
class DebuggerChecksTest extends SimTestBase {
    @Test
    void isDebuggerPresentReadsThePebByteTheProgramCanOverwrite() {
        List<Object> seen = new CopyOnWriteArrayList<>();
        EProcess p = start(SimProgram.of("antidebug", g -> {
            seen.add(g.isDebuggerPresent());
            g.waitFor("marked");
            seen.add(g.isDebuggerPresent());
            g.setBeingDebugged(false);
            seen.add(g.isDebuggerPresent());
            UserPointer<Long> port = UserPointer.empty();
            UserPointer<Integer> length = UserPointer.empty();
            seen.add(g.queryInformationProcess(Handle.CURRENT_PROCESS, InformationClass.ProcessDebugPort, port, 8, length));
            seen.add(port.get());
            seen.add(length.get());
        })).process();
        awaitState(p.threads().getFirst(), SimThreadState.WAITING);
        p.peb().setBeingDebugged(true); // as DbgkpMarkProcessPeb does at attach
        machine.signal("marked");
        assertEquals(0, exitCodeOf(p));
        assertEquals(List.of(false, true, false, NtStatus.STATUS_SUCCESS, 0L, 8), seen);
        assertFalse(p.peb().beingDebugged());
    }

    @Test
    void wow64CodeReadsAndWritesThePeb32() {
        List<Boolean> seen = new CopyOnWriteArrayList<>();
        EProcess p = start(SimProgram.of("antidebug32", g -> {
            g.waitFor("marked32");
            seen.add(g.isDebuggerPresent());
            g.setBeingDebugged(false);
        }).withTraits(ProcessTraits.wow64I386())).process();
        awaitState(p.threads().getFirst(), SimThreadState.WAITING);
        p.peb().setBeingDebugged(true);
        p.peb32().setBeingDebugged(true);
        machine.signal("marked32");
        assertEquals(0, exitCodeOf(p));
        assertEquals(List.of(true), seen);
        assertFalse(p.peb32().beingDebugged());
        assertTrue(p.peb().beingDebugged(), "32-bit code does not touch the native PEB");
    }
}
