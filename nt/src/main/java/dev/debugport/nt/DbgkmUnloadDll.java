package dev.debugport.nt;

/**
 * {@code DBGKM_UNLOAD_DLL}: an image view was unmapped.
 *
 * @param baseAddress BaseAddress of the view
 */
public record DbgkmUnloadDll(long baseAddress) implements DbgkmPayload {

    @Override
    public DbgkmApiNumber apiNumber() {
        return DbgkmApiNumber.UNLOAD_DLL;
    }
}
