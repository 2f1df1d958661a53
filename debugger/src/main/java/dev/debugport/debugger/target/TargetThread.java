package dev.debugport.debugger.target;

import dev.debugport.kernel.UserPointer;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Handle;
import dev.debugport.win32.Kernel32;
import java.util.Optional;

/**
 * A thread of a debuggee as the debugger knows it from CREATE_PROCESS / CREATE_THREAD: its cdb number (~N), id, the
 * handle the event handed out (THREAD_ALL_ACCESS), its TEB. The context is read once per stop and written back
 * through SetThreadContext.
 */
public final class TargetThread {
    /** Why the debugger set the trap flag on this thread, so that the single step it causes is told apart. */
    public enum Trap {
        NONE,
        /** Executing the instruction under a breakpoint with the breakpoint taken out. */
        STEP_OFF_BREAKPOINT,
        /** A t / p the user asked for. */
        USER_STEP
    }

    private final int number;
    private final int id;
    private final Handle handle;
    private final long teb;
    private Amd64Context cached;
    private Trap trap = Trap.NONE;
    /** The debug registers last written, so unchanged ones are not written again at every resume. */
    private long[] debugRegisters = new long[5];

    public TargetThread(int number, int id, Handle handle, long teb) {
        this.number = number;
        this.id = id;
        this.handle = handle;
        this.teb = teb;
    }

    public int number() {
        return number;
    }

    public int id() {
        return id;
    }

    public Handle handle() {
        return handle;
    }

    public long teb() {
        return teb;
    }

    public Trap trap() {
        return trap;
    }

    public void setTrap(Trap trap) {
        this.trap = trap;
    }

    /** Whether DR0-DR3 and DR7 are as the debugger last wrote them ({dr0, dr1, dr2, dr3, dr7}; all zero at first). */
    public boolean hasDebugRegisters(long[] values) {
        return java.util.Arrays.equals(debugRegisters, values);
    }

    public void rememberDebugRegisters(long[] values) {
        debugRegisters = values.clone();
    }

    /** GetThreadContext, cached until the thread runs again. */
    public Optional<Amd64Context> context(Kernel32 k32) {
        if (cached == null) {
            UserPointer<Amd64Context> c = UserPointer.of(Amd64Context.zero());
            if (!k32.getThreadContext(handle, c)) {
                return Optional.empty();
            }
            cached = c.get();
        }
        return Optional.of(cached);
    }

    /** SetThreadContext. */
    public boolean setContext(Kernel32 k32, Amd64Context context) {
        if (!k32.setThreadContext(handle, context)) {
            cached = null;
            return false;
        }
        cached = context;
        return true;
    }

    /** The thread is about to run: its registers will change. */
    public void forgetContext() {
        cached = null;
    }
}
