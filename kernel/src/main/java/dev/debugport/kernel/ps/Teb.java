package dev.debugport.kernel.ps;

import dev.debugport.nt.Handle;

/**
 * The thread environment block fields the debugging stack uses. DbgSsReserved[1] holds the thread's DbgUi debug
 * object handle and DbgSsReserved[0] kernel32's list of saved debug-event handles; both are kept as Java fields.
 * NtTib.ArbitraryUserPointer (+0x28) and StaticUnicodeBuffer (+0x1268) live in the process's memory at the TEB
 * address, because the debugger reads them through ReadProcessMemory (lpImageName points at the former).
 */
public final class Teb {
    /** NtTib.Self: the TEB's own address. */
    public static final int SELF_OFFSET = 0x30;
    /** ClientId: UniqueProcess, then UniqueThread at +8. */
    public static final int CLIENT_ID_OFFSET = 0x40;
    /** ProcessEnvironmentBlock. */
    public static final int PEB_OFFSET = 0x60;
    public static final int ARBITRARY_USER_POINTER_OFFSET = 0x28;
    public static final int STATIC_UNICODE_BUFFER_OFFSET = 0x1268;
    /** StaticUnicodeBuffer capacity: 261 WCHARs. */
    public static final int STATIC_UNICODE_BUFFER_BYTES = 0x20A;
    /** SameTebFlags bit SuppressDebugMsg (Windows 10). */
    public static final int SUPPRESS_DEBUG_MSG = 0x80;

    private final long address;
    private volatile Handle dbgSsReserved1 = Handle.NULL;
    private volatile Object dbgSsReserved0;
    private volatile int sameTebFlags;
    private volatile int lastErrorValue;

    public Teb(long address) {
        this.address = address;
    }

    /** The TEB's address in the process (DEBUG_EVENT lpThreadLocalBase). */
    public long address() {
        return address;
    }

    public long arbitraryUserPointerAddress() {
        return address + ARBITRARY_USER_POINTER_OFFSET;
    }

    public long staticUnicodeBufferAddress() {
        return address + STATIC_UNICODE_BUFFER_OFFSET;
    }

    /** DbgSsReserved[1]: the thread's DbgUi debug object handle (DbgUiGetThreadDebugObject). */
    public Handle debugObjectHandle() {
        return dbgSsReserved1;
    }

    /** DbgUiSetThreadDebugObject: no validation, no close. */
    public void setDebugObjectHandle(Handle handle) {
        this.dbgSsReserved1 = handle;
    }

    /** DbgSsReserved[0]: kernel32's per-thread list of saved debug handles (opaque to the kernel). */
    public Object savedDebugHandles() {
        return dbgSsReserved0;
    }

    public void setSavedDebugHandles(Object list) {
        this.dbgSsReserved0 = list;
    }

    /** TEB.LastErrorValue (GetLastError / SetLastError). */
    public int lastErrorValue() {
        return lastErrorValue;
    }

    public void setLastErrorValue(int value) {
        this.lastErrorValue = value;
    }

    public int sameTebFlags() {
        return sameTebFlags;
    }

    public void setSameTebFlags(int flags) {
        this.sameTebFlags = flags;
    }
}
