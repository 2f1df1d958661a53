package dev.debugport.sim.image;

import dev.debugport.kernel.ps.ImageInfo;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the export directory of each simulated image names, so that a debugger without symbol files (which names a
 * PE image's routines from its exports) can name the addresses the sim really uses:
 * <ul>
 * <li>ntdll (native and WoW64): the routines of {@link SimNtdll} (DbgBreakPoint, DbgUiRemoteBreakin,
 *     LdrpDoDebuggerBreak, KiUserExceptionDispatcher, RtlUserThreadStart);</li>
 * <li>an exe: its entry point ({@code mainCRTStartup}), where Java-level guest code reports faults
 *     ({@code GuestCode}), the return address software exceptions report ({@code GuestRaiseReturn}) and the first
 *     thread start routine ({@code GuestThreadStart}; later routines follow every {@link ImageLayout#THREAD_START_SLOT}
 *     bytes, so they read as {@code GuestThreadStart+0x10}...);</li>
 * <li>any other DLL: its entry point ({@code _DllMainCRTStartup}).</li>
 * </ul>
 * LdrpDoDebuggerBreak and the exe's names are not exports of the real images; a debugger with Microsoft's symbol
 * files would show them, and exports are the only symbols a simulated image can carry.
 */
public final class SimExports {
    public static final String EXE_ENTRY = "mainCRTStartup";
    public static final String DLL_ENTRY = "_DllMainCRTStartup";
    public static final String GUEST_CODE = "GuestCode";
    public static final String GUEST_RAISE_RETURN = "GuestRaiseReturn";
    public static final String GUEST_THREAD_START = "GuestThreadStart";

    private SimExports() {
    }

    /** The exports of {@code image} (a DLL if {@code dll}): name to RVA. */
    public static Map<String, Long> of(ImageInfo image, boolean dll) {
        Map<String, Long> exports = new LinkedHashMap<>();
        if (isNtdll(image.path())) {
            exports.putAll(SimNtdll.rvas());
        } else if (dll) {
            exports.put(DLL_ENTRY, image.entryPoint() - image.base());
        } else {
            exports.put(EXE_ENTRY, image.entryPoint() - image.base());
            exports.put(GUEST_CODE, ImageLayout.GUEST_CODE_RVA);
            exports.put(GUEST_RAISE_RETURN, ImageLayout.RAISE_RETURN_RVA);
            exports.put(GUEST_THREAD_START, ImageLayout.THREAD_START_RVA);
        }
        exports.values().removeIf(rva -> rva >= image.size());
        return exports;
    }

    private static boolean isNtdll(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.equals((ImageLayout.SYSTEM32 + "ntdll.dll").toLowerCase(Locale.ROOT))
                || p.equals((ImageLayout.SYSWOW64 + "ntdll.dll").toLowerCase(Locale.ROOT));
    }
}
