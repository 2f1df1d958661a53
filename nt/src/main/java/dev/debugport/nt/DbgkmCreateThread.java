package dev.debugport.nt;

/**
 * {@code DBGKM_CREATE_THREAD}: a new thread (also the InitialThread part of DBGKM_CREATE_PROCESS).
 *
 * @param subSystemKey SubSystemKey (always 0)
 * @param startAddress StartAddress (the Win32 start address on Windows 10)
 */
public record DbgkmCreateThread(int subSystemKey, long startAddress) implements DbgkmPayload {

    /**
     * @param startAddress StartAddress
     * @return a message with SubSystemKey 0
     */
    public static DbgkmCreateThread of(long startAddress) {
        return new DbgkmCreateThread(0, startAddress);
    }

    @Override
    public DbgkmApiNumber apiNumber() {
        return DbgkmApiNumber.CREATE_THREAD;
    }
}
