package dev.debugport.nt;

/**
 * {@code ACCESS_MASK} bit values: the standard and generic rights, and the specific rights of the
 * process, thread, debug-object and event object types ({@code PROCESS_*}, {@code THREAD_*},
 * {@code DEBUG_OBJECT_*} / {@code DEBUG_*}, {@code EVENT_*}), plus the fixed masks Dbgk grants
 * ({@code spec/dbgk.md} §1.3, §1.7, §9.3).
 */
public final class AccessMask {

    private AccessMask() {
    }

    // ---- standard rights ----

    /** DELETE. */
    public static final int DELETE = 0x00010000;
    /** READ_CONTROL (also STANDARD_RIGHTS_READ / _WRITE / _EXECUTE). */
    public static final int READ_CONTROL = 0x00020000;
    /** WRITE_DAC. */
    public static final int WRITE_DAC = 0x00040000;
    /** WRITE_OWNER. */
    public static final int WRITE_OWNER = 0x00080000;
    /** SYNCHRONIZE: wait on the object. */
    public static final int SYNCHRONIZE = 0x00100000;
    /** STANDARD_RIGHTS_REQUIRED = DELETE | READ_CONTROL | WRITE_DAC | WRITE_OWNER. */
    public static final int STANDARD_RIGHTS_REQUIRED = 0x000F0000;
    /** MAXIMUM_ALLOWED: grant whatever the security descriptor allows. */
    public static final int MAXIMUM_ALLOWED = 0x02000000;

    // ---- generic rights ----

    /** GENERIC_READ. */
    public static final int GENERIC_READ = 0x80000000;
    /** GENERIC_WRITE. */
    public static final int GENERIC_WRITE = 0x40000000;
    /** GENERIC_EXECUTE. */
    public static final int GENERIC_EXECUTE = 0x20000000;
    /** GENERIC_ALL. */
    public static final int GENERIC_ALL = 0x10000000;
    /** The four GENERIC_* bits together. */
    public static final int GENERIC_MASK = GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL;

    // ---- process-specific rights ----

    /** PROCESS_TERMINATE. */
    public static final int PROCESS_TERMINATE = 0x0001;
    /** PROCESS_CREATE_THREAD. */
    public static final int PROCESS_CREATE_THREAD = 0x0002;
    /** PROCESS_SET_SESSIONID. */
    public static final int PROCESS_SET_SESSIONID = 0x0004;
    /** PROCESS_VM_OPERATION. */
    public static final int PROCESS_VM_OPERATION = 0x0008;
    /** PROCESS_VM_READ. */
    public static final int PROCESS_VM_READ = 0x0010;
    /** PROCESS_VM_WRITE. */
    public static final int PROCESS_VM_WRITE = 0x0020;
    /** PROCESS_DUP_HANDLE. */
    public static final int PROCESS_DUP_HANDLE = 0x0040;
    /** PROCESS_CREATE_PROCESS. */
    public static final int PROCESS_CREATE_PROCESS = 0x0080;
    /** PROCESS_SET_QUOTA. */
    public static final int PROCESS_SET_QUOTA = 0x0100;
    /** PROCESS_SET_INFORMATION. */
    public static final int PROCESS_SET_INFORMATION = 0x0200;
    /** PROCESS_QUERY_INFORMATION. */
    public static final int PROCESS_QUERY_INFORMATION = 0x0400;
    /** PROCESS_SUSPEND_RESUME (labelled PROCESS_SET_PORT in seed 000); needed by attach and detach. */
    public static final int PROCESS_SUSPEND_RESUME = 0x0800;
    /** PROCESS_QUERY_LIMITED_INFORMATION. */
    public static final int PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
    /** PROCESS_ALL_ACCESS (Vista and later). */
    public static final int PROCESS_ALL_ACCESS = 0x001FFFFF;

    // ---- thread-specific rights ----

    /** THREAD_TERMINATE. */
    public static final int THREAD_TERMINATE = 0x0001;
    /** THREAD_SUSPEND_RESUME. */
    public static final int THREAD_SUSPEND_RESUME = 0x0002;
    /** THREAD_ALERT. */
    public static final int THREAD_ALERT = 0x0004;
    /** THREAD_GET_CONTEXT. */
    public static final int THREAD_GET_CONTEXT = 0x0008;
    /** THREAD_SET_CONTEXT. */
    public static final int THREAD_SET_CONTEXT = 0x0010;
    /** THREAD_SET_INFORMATION. */
    public static final int THREAD_SET_INFORMATION = 0x0020;
    /** THREAD_QUERY_INFORMATION. */
    public static final int THREAD_QUERY_INFORMATION = 0x0040;
    /** THREAD_SET_THREAD_TOKEN. */
    public static final int THREAD_SET_THREAD_TOKEN = 0x0080;
    /** THREAD_IMPERSONATE. */
    public static final int THREAD_IMPERSONATE = 0x0100;
    /** THREAD_DIRECT_IMPERSONATION. */
    public static final int THREAD_DIRECT_IMPERSONATION = 0x0200;
    /** THREAD_SET_LIMITED_INFORMATION. */
    public static final int THREAD_SET_LIMITED_INFORMATION = 0x0400;
    /** THREAD_QUERY_LIMITED_INFORMATION. */
    public static final int THREAD_QUERY_LIMITED_INFORMATION = 0x0800;
    /** THREAD_ALL_ACCESS (Vista and later). */
    public static final int THREAD_ALL_ACCESS = 0x001FFFFF;

    // ---- debug-object rights (spec/dbgk.md §1.3) ----

    /** DEBUG_OBJECT_WAIT_STATE_CHANGE (DEBUG_READ_EVENT): needed by wait and continue. */
    public static final int DEBUG_OBJECT_WAIT_STATE_CHANGE = 0x0001;
    /** DEBUG_OBJECT_ADD_REMOVE_PROCESS (DEBUG_PROCESS_ASSIGN): needed by attach, detach, debugged creation. */
    public static final int DEBUG_OBJECT_ADD_REMOVE_PROCESS = 0x0002;
    /** DEBUG_OBJECT_SET_INFORMATION: needed by NtSetInformationDebugObject (Windows 10). */
    public static final int DEBUG_OBJECT_SET_INFORMATION = 0x0004;
    /** DEBUG_OBJECT_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0xF. */
    public static final int DEBUG_OBJECT_ALL_ACCESS = 0x001F000F;

    // ---- masks Dbgk uses ----

    /**
     * Process access Windows 10 DbgkpOpenHandles grants the debugger: SYNCHRONIZE, READ_CONTROL,
     * TERMINATE, CREATE_THREAD, VM_OPERATION, VM_READ, VM_WRITE, DUP_HANDLE, SET_INFORMATION,
     * QUERY_INFORMATION (§9.3).
     */
    public static final int DEBUGGER_PROCESS_ACCESS = 0x0012067B;
    /**
     * Thread access Windows 10 DbgkpOpenHandles grants the debugger: SYNCHRONIZE, READ_CONTROL,
     * TERMINATE, SUSPEND_RESUME, GET_CONTEXT, SET_CONTEXT, SET_INFORMATION, QUERY_INFORMATION (§9.3).
     */
    public static final int DEBUGGER_THREAD_ACCESS = 0x0012007B;
    /** GENERIC_READ | SYNCHRONIZE: access of the image file handles in CREATE_PROCESS / LOAD_DLL (§1.7). */
    public static final int FILE_GENERIC_READ_SYNCHRONIZE = 0x80100000;

    // ---- event rights ----

    /** EVENT_MODIFY_STATE. */
    public static final int EVENT_MODIFY_STATE = 0x0002;
    /** EVENT_ALL_ACCESS. */
    public static final int EVENT_ALL_ACCESS = 0x001F0003;

    /**
     * @param granted an access mask
     * @param required the rights needed
     * @return true when every bit of {@code required} is in {@code granted}
     */
    public static boolean hasAll(int granted, int required) {
        return (granted & required) == required;
    }
}
