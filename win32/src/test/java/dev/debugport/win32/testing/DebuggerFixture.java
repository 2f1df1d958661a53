package dev.debugport.win32.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.debugport.kernel.UserPointer;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.win32.Kernel32;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The debugger's side of a test fixture, whatever platform runs the debuggees: the debug loop a test drives through
 * its debugger thread's Kernel32 (WaitForDebugEventEx, ContinueDebugEvent, skipping to an event, running a debuggee
 * to its exit), failing the test with what it saw when an event does not come or a call fails. Every wait has the
 * fixture's timeout; nothing sleeps.
 */
public abstract class DebuggerFixture {
    private final Duration timeout;
    /** Every event {@link #next()} returned, in order, for the failure messages. */
    private final List<DebugEvent> seen = new ArrayList<>();

    /** @param timeout how long any single expected event may take */
    protected DebuggerFixture(Duration timeout) {
        this.timeout = timeout;
    }

    /** The Kernel32 of the debugger thread the loop runs on. */
    protected abstract Kernel32 debugger();

    /** Called with every event {@link #next()} returns, before the test sees it. */
    protected void onEvent(DebugEvent e) {
    }

    /** WaitForDebugEventEx on {@code debugger} for at most {@code timeout}; fails the test on timeout. */
    public static DebugEvent next(Kernel32 debugger, Duration timeout) {
        return waitForEvent(debugger, timeout, List.of());
    }

    /** WaitForDebugEventEx with the fixture timeout; fails the test on timeout. */
    public DebugEvent next() {
        DebugEvent e = waitForEvent(debugger(), timeout, seen);
        seen.add(e);
        onEvent(e);
        return e;
    }

    private static DebugEvent waitForEvent(Kernel32 debugger, Duration timeout, List<DebugEvent> seen) {
        UserPointer<DebugEvent> e = UserPointer.empty();
        if (!debugger.waitForDebugEventEx(e, (int) timeout.toMillis())) {
            fail("no debug event within " + timeout + " (Win32 error " + debugger.getLastError() + ")"
                    + (seen.isEmpty() ? "" : "; seen: " + seen));
        }
        return e.get();
    }

    /** The next event, which must be of the given kind. */
    public DebugEvent next(DebugEventCode expected) {
        DebugEvent e = next();
        assertEquals(expected, e.code(), () -> "unexpected event " + e);
        return e;
    }

    /** Continues an event with DBG_CONTINUE; fails the test if that fails. */
    public void resume(DebugEvent e) {
        resume(e, NtStatus.DBG_CONTINUE);
    }

    /** ContinueDebugEvent with {@code status}; fails the test if that fails. */
    public void resume(DebugEvent e, NtStatus status) {
        assertTrue(debugger().continueDebugEvent(e.processId(), e.threadId(), status),
                () -> "ContinueDebugEvent failed, error " + debugger().getLastError() + " for " + e);
    }

    /**
     * Continues events (each as {@link #passThrough} answers it) until the given kind arrives, and returns it without
     * continuing it. Fails if it does not come.
     */
    public DebugEvent skipUntil(DebugEventCode wanted) {
        List<DebugEvent> skipped = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            DebugEvent e = next();
            if (e.code() == wanted) {
                return e;
            }
            skipped.add(e);
            resume(e, passThrough(e));
        }
        fail(wanted + " never arrived; saw " + skipped);
        return null;
    }

    /** Continues every event (as {@link #passThrough}) until EXIT_PROCESS of {@code pid}; returns all, that one last. */
    public List<DebugEvent> collect(int pid) {
        List<DebugEvent> out = new ArrayList<>();
        while (true) {
            DebugEvent e = next();
            out.add(e);
            resume(e, passThrough(e));
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT && e.processId() == pid) {
                return out;
            }
        }
    }

    /** Continues every event until EXIT_PROCESS of {@code pid} was continued; returns its exit code. */
    public int runToExit(int pid) {
        return ((DebugEventInfo.ExitProcessDebugInfo) collect(pid).getLast().info()).exitCode();
    }

    /** Asserts that no event arrives within {@code millis} (the wait times out with ERROR_SEM_TIMEOUT). */
    public void assertNoEvent(int millis) {
        UserPointer<DebugEvent> e = UserPointer.empty();
        if (debugger().waitForDebugEventEx(e, millis)) {
            fail("unexpected event " + e.get());
        }
        assertEquals(Win32Error.ERROR_SEM_TIMEOUT, debugger().getLastError());
    }

    /**
     * How a plain debugger answers an event: breakpoints and single steps handled, every other exception not handled,
     * every other event continued.
     */
    public static NtStatus passThrough(DebugEvent e) {
        if (e.code() != DebugEventCode.EXCEPTION_DEBUG_EVENT) {
            return NtStatus.DBG_CONTINUE;
        }
        int code = exceptionCode(e);
        return code == NtStatus.STATUS_BREAKPOINT.value() || code == NtStatus.STATUS_SINGLE_STEP.value()
                || code == NtStatus.STATUS_WX86_BREAKPOINT.value() ? NtStatus.DBG_CONTINUE : NtStatus.DBG_EXCEPTION_NOT_HANDLED;
    }

    /** The exception code of an EXCEPTION_DEBUG_EVENT. */
    public static int exceptionCode(DebugEvent e) {
        return ((DebugEventInfo.ExceptionDebugInfo) e.info()).exceptionRecord().code();
    }

    /** Whether {@code e} is an exception event with the given code. */
    public static boolean isException(DebugEvent e, int code) {
        return e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT && exceptionCode(e) == code;
    }
}
