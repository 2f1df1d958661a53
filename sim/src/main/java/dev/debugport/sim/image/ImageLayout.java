package dev.debugport.sim.image;

import dev.debugport.kernel.ps.ImageInfo;
import java.util.Locale;

/**
 * Where the simulated platform puts things in a process's address space, and the file paths of its images. The
 * values imitate a Windows 10 x64 machine closely enough for a debugger's output to look familiar: the exe at
 * 0x140000000 (0x400000 for a 32-bit WoW64 exe), ntdll near the top of the user range, the 32-bit ntdll below 2 GiB,
 * the PEB at a fixed page. Every address is fixed or allocated deterministically, so runs are repeatable.
 */
public final class ImageLayout {
    public static final String SIM_DIRECTORY = "C:\\sim\\";
    public static final String SYSTEM32 = "C:\\Windows\\System32\\";
    public static final String SYSWOW64 = "C:\\Windows\\SysWOW64\\";

    public static final long EXE_BASE_64 = 0x1_4000_0000L;
    public static final long EXE_BASE_32 = 0x40_0000L;
    public static final long EXE_SIZE = 0x10_0000L;
    /** AddressOfEntryPoint of every simulated exe. */
    public static final long ENTRY_POINT_RVA = 0x1000;
    /** The address, inside the exe, that Java-level guest faults are reported at (the "faulting instruction"). */
    public static final long GUEST_CODE_RVA = 0x1800;
    /** The fake return address of RtlRaiseException's caller, the ExceptionAddress of software exceptions. */
    public static final long RAISE_RETURN_RVA = 0x2000;
    /** Thread start routines created by guests get distinct addresses from here on, one per routine. */
    public static final long THREAD_START_RVA = 0x1_0000;
    public static final long THREAD_START_SLOT = 0x10;

    public static final long NTDLL_BASE = 0x7FFA_0000_0000L;
    public static final long NTDLL_SIZE = 0x1F_0000L;
    public static final long NTDLL32_BASE = 0x77A0_0000L;
    public static final long NTDLL32_SIZE = 0x1A_0000L;
    public static final long KERNEL32_BASE = 0x7FF9_FF00_0000L;
    public static final long KERNEL32_SIZE = 0xC_0000L;
    public static final long KERNELBASE_BASE = 0x7FF9_FE00_0000L;
    public static final long KERNELBASE_SIZE = 0x2C_0000L;
    public static final long WOW64_BASE = 0x7FF9_FD00_0000L;
    public static final long WOW64WIN_BASE = 0x7FF9_FC00_0000L;
    public static final long WOW64CPU_BASE = 0x7FF9_FB00_0000L;
    public static final long WOW64_DLL_SIZE = 0x8_0000L;
    public static final long KERNEL32_32_BASE = 0x7600_0000L;
    public static final long KERNEL32_32_SIZE = 0xF_0000L;
    public static final long KERNELBASE_32_BASE = 0x7580_0000L;
    public static final long KERNELBASE_32_SIZE = 0x20_0000L;

    /** Other DLLs (static imports and LoadLibrary) are placed at the first free 64 KiB slot of these ranges. */
    public static final long DLL_REGION_64_START = 0x7FF8_0000_0000L;
    public static final long DLL_REGION_64_END = 0x7FF9_0000_0000L;
    public static final long DLL_REGION_32_START = 0x6000_0000L;
    public static final long DLL_REGION_32_END = 0x7000_0000L;
    public static final long DLL_SIZE = 0x3_0000L;

    public static final long PEB_ADDRESS = 0x7FF5_FFFD_0000L;
    /** The PEB32 of a WoW64 process, below 4 GiB where 32-bit code can reach it. */
    public static final long PEB32_ADDRESS = 0x7EFD_E000L;
    /** The first TEB sits just below this address; later TEBs go further down, one {@link #TEB_SIZE} each. */
    public static final long TEB_TOP = 0x7FF5_FFF0_0000L;
    /** Two pages: enough for StaticUnicodeBuffer (TEB+0x1268, 0x20A bytes). */
    public static final long TEB_SIZE = 0x2000;

    /** VirtualAlloc-style allocations and thread stacks (below 4 GiB, so WoW64 guests can use them too). */
    public static final long ALLOCATION_REGION_START = 0x1000_0000L;
    public static final long ALLOCATION_REGION_END = 0x6000_0000L;
    public static final long ALLOCATION_GRANULARITY = 0x1_0000L;
    public static final long STACK_SIZE = 0x1_0000L;

    /** FileHeader.PointerToSymbolTable / NumberOfSymbols of every simulated image (Dbgk's debug-info fields). */
    public static final int DEBUG_INFO_FILE_OFFSET = 0x200;
    public static final int DEBUG_INFO_SIZE = 0x10;

    private ImageLayout() {
    }

    /** C:\sim\NAME.exe. */
    public static String exePath(String programName) {
        String file = programName.toLowerCase(Locale.ROOT).endsWith(".exe") ? programName : programName + ".exe";
        return SIM_DIRECTORY + file;
    }

    /**
     * The full path a DLL name resolves to (the loader's search, reduced to one rule): a name with a directory is
     * used as given; a bare name is in the system directory of the process's bitness (SysWOW64 for 32-bit code).
     */
    public static String dllPath(String name, boolean wow64) {
        if (name.contains("\\") || name.contains("/")) {
            return name;
        }
        String file = name.toLowerCase(Locale.ROOT).endsWith(".dll") ? name : name + ".dll";
        return (wow64 ? SYSWOW64 : SYSTEM32) + file;
    }

    /** The main image of a program. */
    public static ImageInfo exeImage(String programName, boolean wow64) {
        long base = wow64 ? EXE_BASE_32 : EXE_BASE_64;
        return image(exePath(programName), base, EXE_SIZE, wow64);
    }

    /** An image at {@code base}: entry point at base+0x1000, the fixed debug-info fields, the machine by bitness. */
    public static ImageInfo image(String path, long base, long size, boolean is32Bit) {
        return new ImageInfo(path, base, size, base + ENTRY_POINT_RVA, DEBUG_INFO_FILE_OFFSET, DEBUG_INFO_SIZE,
                is32Bit ? ImageInfo.MACHINE_I386 : ImageInfo.MACHINE_AMD64);
    }

    public static ImageInfo ntdll() {
        return image(SYSTEM32 + "ntdll.dll", NTDLL_BASE, NTDLL_SIZE, false);
    }

    public static ImageInfo ntdll32() {
        return image(SYSWOW64 + "ntdll.dll", NTDLL32_BASE, NTDLL32_SIZE, true);
    }
}
