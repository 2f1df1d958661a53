package dev.debugport.nt;

import java.util.Objects;

/**
 * {@code DBGKM_LOAD_DLL}: an image section was mapped into the process.
 *
 * @param fileHandle          FileHandle of the image, or {@link Handle#NULL}
 * @param baseOfDll           BaseOfDll
 * @param debugInfoFileOffset DebugInfoFileOffset ({@code FileHeader.PointerToSymbolTable})
 * @param debugInfoSize       DebugInfoSize ({@code FileHeader.NumberOfSymbols})
 * @param namePointer         NamePointer: address in the debuggee of a pointer to the name, or 0
 *                            (always 0 for attach-time fake messages)
 */
public record DbgkmLoadDll(Handle fileHandle, long baseOfDll, int debugInfoFileOffset, int debugInfoSize,
                           long namePointer) implements DbgkmPayload {

    /** @throws NullPointerException if the handle is null */
    public DbgkmLoadDll {
        Objects.requireNonNull(fileHandle, "fileHandle");
    }

    @Override
    public DbgkmApiNumber apiNumber() {
        return DbgkmApiNumber.LOAD_DLL;
    }

    /**
     * @param handle the new FileHandle
     * @return a copy with FileHandle replaced
     */
    public DbgkmLoadDll withFileHandle(Handle handle) {
        return new DbgkmLoadDll(handle, baseOfDll, debugInfoFileOffset, debugInfoSize, namePointer);
    }

    @Override
    public DbgkmLoadDll withoutFileHandle() {
        return withFileHandle(Handle.NULL);
    }
}
