package dev.debugport.nt;

/**
 * {@code DBGKM_EXIT_PROCESS}: the last thread of a process exited.
 *
 * @param exitStatus ExitStatus
 */
public record DbgkmExitProcess(int exitStatus) implements DbgkmPayload {

    @Override
    public DbgkmApiNumber apiNumber() {
        return DbgkmApiNumber.EXIT_PROCESS;
    }
}
