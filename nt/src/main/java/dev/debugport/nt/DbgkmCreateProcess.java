package dev.debugport.nt;

import java.util.Objects;

/**
 * {@code DBGKM_CREATE_PROCESS}: a new (or attached-to) process and its first thread.
 *
 * @param subSystemKey        SubSystemKey (always 0)
 * @param fileHandle          FileHandle of the image, or {@link Handle#NULL}
 * @param baseOfImage         BaseOfImage
 * @param debugInfoFileOffset DebugInfoFileOffset ({@code FileHeader.PointerToSymbolTable})
 * @param debugInfoSize       DebugInfoSize ({@code FileHeader.NumberOfSymbols})
 * @param initialThread       InitialThread
 */
public record DbgkmCreateProcess(int subSystemKey, Handle fileHandle, long baseOfImage, int debugInfoFileOffset,
                                 int debugInfoSize, DbgkmCreateThread initialThread) implements DbgkmPayload {

    /** @throws NullPointerException if the handle or the initial thread is null */
    public DbgkmCreateProcess {
        Objects.requireNonNull(fileHandle, "fileHandle");
        Objects.requireNonNull(initialThread, "initialThread");
    }

    @Override
    public DbgkmApiNumber apiNumber() {
        return DbgkmApiNumber.CREATE_PROCESS;
    }

    /**
     * @param handle the new FileHandle
     * @return a copy with FileHandle replaced
     */
    public DbgkmCreateProcess withFileHandle(Handle handle) {
        return new DbgkmCreateProcess(subSystemKey, handle, baseOfImage, debugInfoFileOffset, debugInfoSize,
                initialThread);
    }

    @Override
    public DbgkmCreateProcess withoutFileHandle() {
        return withFileHandle(Handle.NULL);
    }
}
