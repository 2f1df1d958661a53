package dev.debugport.nt;

/**
 * The union inside a {@code DBGKM_APIMSG}: one of the DBGKM_* message bodies ({@code spec/dbgk.md} §2).
 *
 * <p>Only CREATE_PROCESS and LOAD_DLL carry a file handle (a kernel handle while queued; ownership
 * moves to the debugger at delivery, §3). The default methods let callers treat every payload
 * uniformly: the others report {@link Handle#NULL} and are returned unchanged by
 * {@link #withoutFileHandle()}.
 */
public sealed interface DbgkmPayload
        permits DbgkmException, DbgkmCreateThread, DbgkmCreateProcess, DbgkmExitThread, DbgkmExitProcess,
                DbgkmLoadDll, DbgkmUnloadDll {

    /** @return the message number this body belongs to */
    DbgkmApiNumber apiNumber();

    /** @return the image file handle of CREATE_PROCESS / LOAD_DLL, {@link Handle#NULL} for the others */
    default Handle fileHandle() {
        return Handle.NULL;
    }

    /** @return a copy whose file handle is null (what DbgkpConvertKernelToUserStateChange leaves behind) */
    default DbgkmPayload withoutFileHandle() {
        return this;
    }
}
