package dev.debugport.win32;

import dev.debugport.nt.Handle;

/** PROCESS_INFORMATION, what CreateProcess returns: the new process and thread handles and ids. */
public record ProcessInformation(Handle process, Handle thread, int processId, int threadId) {
}
