package dev.debugport.kernel.ps;

/**
 * The fixed properties of a process that decide Windows-only debugging rules.
 *
 * @param system the System process (PID 4): no debugger may attach
 * @param protectionLevel 0 for an ordinary process; a protected process has a level an unprotected caller cannot
 *     touch (PsTestProtectedProcessIncompatibility)
 * @param wow64Machine 0 for a native process, else the machine of its 32-bit WoW64 world (0x14C i386, 0x1C4 ARMNT)
 * @param wow64NtdllSlot the system DLL slot of its 32-bit ntdll (PsWow64GetProcessNtdllType), 0 for native
 */
public record ProcessTraits(boolean system, int protectionLevel, int wow64Machine, int wow64NtdllSlot) {
    public static final ProcessTraits NATIVE = new ProcessTraits(false, 0, 0, 0);
    public static final ProcessTraits SYSTEM = new ProcessTraits(true, 0, 0, 0);

    /** A 32-bit i386 WoW64 process (its 32-bit ntdll in system DLL slot 1). */
    public static ProcessTraits wow64I386() {
        return new ProcessTraits(false, 0, ImageInfo.MACHINE_I386, 1);
    }

    /** A protected process at the given level. */
    public static ProcessTraits protectedAt(int level) {
        return new ProcessTraits(false, level, 0, 0);
    }

    /** Whether this is a 32-bit WoW64 process of the kind Dbgk treats specially (i386 or ARMNT). */
    public boolean isWow64_32() {
        return wow64Machine == ImageInfo.MACHINE_I386 || wow64Machine == ImageInfo.MACHINE_ARMNT;
    }
}
