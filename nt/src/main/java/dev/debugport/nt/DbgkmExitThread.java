package dev.debugport.nt;

/**
 * {@code DBGKM_EXIT_THREAD}: a thread exited.
 *
 * @param exitStatus ExitStatus
 */
public record DbgkmExitThread(int exitStatus) implements DbgkmPayload {

    @Override
    public DbgkmApiNumber apiNumber() {
        return DbgkmApiNumber.EXIT_THREAD;
    }
}
