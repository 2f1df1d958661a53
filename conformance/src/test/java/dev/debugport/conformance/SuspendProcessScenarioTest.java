package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.SimProgram;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * spec/wine-model-and-scenarios.md Part 2, section G (scenario 90): NtSuspendProcess / NtResumeProcess are a
 * suspend / resume of every thread, with no process-wide count of their own.
 */
class SuspendProcessScenarioTest extends LifecycleTestBase {

    @Test
    void p2_90_suspendProcessIsPerThreadArithmetic() {
        AtomicReference<EThread> aux = new AtomicReference<>();
        List<Object> seen = new CopyOnWriteArrayList<>();
        EProcess target = startPlain(SimProgram.of("g90", g -> {
            EThread t = g.createThread(w -> { }, true, false); // CREATE_SUSPENDED: count 1
            aux.set(t);
            NtResult<Integer> r;
            int suspends = 0;
            while ((r = g.kernel().processes().suspendThread(t)).isSuccess()) {
                suspends++;
            }
            seen.add(r.status());
            seen.add(suspends);
            g.signal("g90.ready");
            g.waitFor("g90.done");
            NtResult<Integer> last = g.kernel().processes().suspendThread(t);
            seen.add(last.isSuccess() ? last.value() : -1);
            while (g.resumeThread(t) > 1) {
                // back to zero so that the thread can finish
            }
        }));
        assertTrue(f.machine.awaitSignal("g90.ready", SimDebugFixture.TIMEOUT));
        assertEquals(List.of(NtStatus.STATUS_SUSPEND_COUNT_EXCEEDED, 126), seen, "suspended up to MAXIMUM_SUSPEND_COUNT (127)");
        Handle process = openProcess(target.pid());
        Handle main = openThread(target.threads().getFirst().tid());
        var nt = f.kernel.services();
        UserPointer<Integer> previous = UserPointer.of(-1);

        assertEquals(NtStatus.STATUS_SUCCESS, nt.suspendThread(f.debuggerThread, ProcessorMode.USER, main, previous));
        assertEquals(0, previous.get());
        assertEquals(NtStatus.STATUS_SUCCESS, nt.resumeProcess(f.debuggerThread, ProcessorMode.USER, process), "the process was never suspended");
        assertEquals(0, target.threads().getFirst().runState().suspendCount(), "it resumed the main thread");
        assertEquals(126, aux.get().runState().suspendCount(), "and took one off the other thread's count");
        assertEquals(NtStatus.STATUS_INVALID_HANDLE, nt.suspendProcess(f.debuggerThread, ProcessorMode.USER, Handle.NULL));
        assertEquals(NtStatus.STATUS_SUCCESS, nt.resumeProcess(f.debuggerThread, ProcessorMode.USER, process));
        assertEquals(0, target.threads().getFirst().runState().suspendCount());

        assertEquals(NtStatus.STATUS_SUCCESS, nt.suspendProcess(f.debuggerThread, ProcessorMode.USER, process));
        assertEquals(NtStatus.STATUS_SUCCESS, nt.suspendThread(f.debuggerThread, ProcessorMode.USER, main, previous));
        assertEquals(1, previous.get(), "NtSuspendProcess suspended the thread once");
        assertEquals(NtStatus.STATUS_SUCCESS, nt.resumeThread(f.debuggerThread, ProcessorMode.USER, main, previous));
        assertEquals(2, previous.get());

        assertEquals(NtStatus.STATUS_SUCCESS, nt.suspendProcess(f.debuggerThread, ProcessorMode.USER, process));
        assertEquals(NtStatus.STATUS_SUCCESS, nt.resumeProcess(f.debuggerThread, ProcessorMode.USER, process));
        assertEquals(NtStatus.STATUS_SUCCESS, nt.resumeProcess(f.debuggerThread, ProcessorMode.USER, process));
        assertEquals(0, target.threads().getFirst().runState().suspendCount());

        f.machine.signal("g90.done");
        assertEquals(0, SimDebugFixture.awaitExit(target));
        assertEquals(125, seen.get(2), "the other thread's count after the sequence");
    }
}
