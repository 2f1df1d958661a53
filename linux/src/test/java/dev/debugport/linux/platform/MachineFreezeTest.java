package dev.debugport.linux.platform;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ps.EThread;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.nt.Amd64Register;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * KeFreezeExecution on the Linux platform (what the kernel debugger's KdEnterDebugger does): every thread is brought
 * to a ptrace-stop, which the kernel counts as parked; the thaw lets it run again.
 */
class MachineFreezeTest {
    private final LinuxDebugFixture f = new LinuxDebugFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aFrozenThreadIsParkedInItsPtraceStopAndRunsAgainAtTheThaw() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "sleeper").processId();
        // sleeper reports 1 with an int3 and then sleeps in sigsuspend: continue everything up to that report.
        DebugEvent report;
        do {
            report = f.skipUntil(DebugEventCode.EXCEPTION_DEBUG_EVENT);
            if (report.processId() != pid || f.context(report.threadId()).get(Amd64Register.RAX) != 1) {
                f.resume(report);
                report = null;
            }
        } while (report == null);
        f.resume(report);
        EThread thread = f.kernel.clientIds().thread(pid);
        LinuxDebugFixture.awaitCondition("the thread runs", () -> !thread.runState().isParked());

        f.kernel.freezeExecution();
        LinuxDebugFixture.awaitCondition("the frozen thread parks", () -> thread.runState().isParked());
        assertTrue(Procfs.status(pid).map(s -> s.getOrDefault("State", "")).orElse("").startsWith("t"),
                "in a ptrace-stop");

        f.kernel.thawExecution();
        LinuxDebugFixture.awaitCondition("the thawed thread runs", () -> !thread.runState().isParked());
    }
}
