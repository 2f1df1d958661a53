package dev.debugport.debugger.session;

import dev.debugport.debugger.Output;
import dev.debugport.debugger.target.Target;
import dev.debugport.kernel.UserPointer;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.Win32Error;
import dev.debugport.win32.Kernel32;

/** Waits for the next debug event while answering a break-in request (Ctrl-C) between slices of the wait. */
final class DebugEventWaiter {
    /** How long one WaitForDebugEvent waits before looking at a break-in request. */
    private static final int WAIT_SLICE_MS = 100;

    private final Kernel32 k32;
    private final Output out;
    private final Targets targets;
    private final BreakInRequest breakIn;

    DebugEventWaiter(Kernel32 k32, Output out, Targets targets, BreakInRequest breakIn) {
        this.k32 = k32;
        this.out = out;
        this.targets = targets;
        this.breakIn = breakIn;
    }

    /** WaitForDebugEventEx in slices, issuing a requested break-in between them; null if the wait cannot go on. */
    DebugEvent next(UserPointer<DebugEvent> slot) {
        while (true) {
            if (breakIn.due()) {
                issueBreakIn();
            }
            if (k32.waitForDebugEventEx(slot, WAIT_SLICE_MS)) {
                return slot.get();
            }
            int error = k32.getLastError();
            if (error != Win32Error.ERROR_SEM_TIMEOUT) {
                out.println("WaitForDebugEvent failed with Win32 error " + error);
                return null;
            }
            if (!targets.any()) {
                return null;
            }
        }
    }

    /** DebugBreakProcess on the current process (or the first one). */
    private void issueBreakIn() {
        breakIn.issued();
        Target t = targets.current() != null ? targets.current() : targets.all().isEmpty() ? null : targets.all().getFirst();
        if (t != null && !k32.debugBreakProcess(t.handle())) {
            out.println("Unable to break in: DebugBreakProcess failed with Win32 error " + k32.getLastError());
        }
    }
}
