package dev.debugport.sim;

import dev.debugport.kernel.ps.Peb;
import dev.debugport.sim.image.SimNtdll;

/** The sim ntdll routines that a thread can be started at by address (with no guest code attached). */
final class NtdllRoutines {
    private NtdllRoutines() {
    }

    /**
     * Implements DbgUiRemoteBreakin (the routine DbgUiIssueRemoteBreakin starts a thread at): if the native PEB says
     * a debugger is present, DbgBreakPoint (STATUS_BREAKPOINT at ntdll!DbgBreakPoint) inside a catch-all handler, so
     * continuing it with DBG_EXCEPTION_NOT_HANDLED does not kill the debuggee (Windows' guard; ReactOS has none);
     * then RtlExitUserThread(0).
     */
    static final GuestCode DBG_UI_REMOTE_BREAKIN = g -> {
        Peb peb = g.process().peb();
        g.safePoint();
        if (peb != null && peb.beingDebugged()) {
            long dbgBreakPoint = g.simProcess().ntdllRoutine(SimNtdll.DBG_BREAK_POINT);
            g.tryExcept(x -> x.execute(dbgBreakPoint, 4), GuestHandler.EXECUTE_HANDLER);
        }
        g.exitThread(0);
    };

    /** The routine a thread started at {@code address} with no entry runs, or null if there is none there. */
    static GuestCode at(SimProcess process, long address) {
        String export = SimNtdll.exportAt(process.ntdll().base(), address);
        if (SimNtdll.DBG_UI_REMOTE_BREAKIN.equals(export)) {
            return DBG_UI_REMOTE_BREAKIN;
        }
        return process.codeAt(address);
    }
}
