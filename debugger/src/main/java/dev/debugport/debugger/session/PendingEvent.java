package dev.debugport.debugger.session;

import dev.debugport.nt.NtStatus;

/** The event the debuggee waits on while the debugger is stopped, and how {@code g} continues it by default. */
record PendingEvent(int pid, int tid, NtStatus defaultStatus) {
}
