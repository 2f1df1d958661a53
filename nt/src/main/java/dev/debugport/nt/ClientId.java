package dev.debugport.nt;

/**
 * A {@code CLIENT_ID}: the (UniqueProcess, UniqueThread) pair that names a thread. Dbgk copies it from
 * the reporting thread into each debug event and matches NtDebugContinue against it.
 *
 * @param uniqueProcess the process id
 * @param uniqueThread  the thread id (0 when only a process is meant)
 */
public record ClientId(long uniqueProcess, long uniqueThread) {

    /** The all-zero client id of an idle / zeroed DBGUI_WAIT_STATE_CHANGE. */
    public static final ClientId NONE = new ClientId(0, 0);

    /** @return the process id truncated to 32 bits, as Win32 {@code DEBUG_EVENT.dwProcessId} holds it */
    public int processId32() {
        return (int) uniqueProcess;
    }

    /** @return the thread id truncated to 32 bits, as Win32 {@code DEBUG_EVENT.dwThreadId} holds it */
    public int threadId32() {
        return (int) uniqueThread;
    }

    /** @return e.g. {@code "pid 0x10 tid 0x14"} */
    @Override
    public String toString() {
        return "pid 0x" + Long.toHexString(uniqueProcess) + " tid 0x" + Long.toHexString(uniqueThread);
    }
}
