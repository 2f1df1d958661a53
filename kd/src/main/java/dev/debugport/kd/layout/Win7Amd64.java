package dev.debugport.kd.layout;

/**
 * Structure offsets of the Windows 7 SP1 x64 kernel (build 7601, service pack 1) that KD hosts read: the values of
 * the real build (the ones radare2's "WIN7_SP1_X64" profile and WinDbg's symbols use), plus one documented debugport
 * extension past the end of EPROCESS. All pointers are 64 bits; a LIST_ENTRY64 is {Flink u64, Blink u64}; a
 * UNICODE_STRING is {Length u16 @0, MaximumLength u16 @2, Buffer u64 @8} (16 bytes).
 *
 * <pre>
 *  EPROCESS (0x4D0 bytes)                        ETHREAD (0x498 bytes; KTHREAD is its first 0x360)
 *  0x000 Pcb.Header.Type u8 = 3 (ProcessObject)   0x000 Tcb.Header.Type u8 = 6 (ThreadObject)
 *  0x028 Pcb.DirectoryTableBase u64               0x070 Tcb.ApcState.Process (KPROCESS*)
 *  0x030 Pcb.ThreadListHead (-&gt; KTHREAD+0x2F8)    0x0B8 Tcb.Teb
 *  0x168 CreateTime u64                           0x164 Tcb.State u8 (2 running, 5 waiting)
 *  0x180 UniqueProcessId u64                      0x210 Tcb.Process (KPROCESS*)
 *  0x188 ActiveProcessLinks (PsActiveProcessHead) 0x2F8 Tcb.ThreadListEntry
 *  0x200 ObjectTable (HANDLE_TABLE*)              0x3B0 Cid.UniqueProcess u64, 0x3B8 Cid.UniqueThread u64
 *  0x290 InheritedFromUniqueProcessId u64         0x410 Win32StartAddress u64
 *  0x2E0 ImageFileName char[15]                   0x420 ThreadListEntry (-&gt; EPROCESS+0x308)
 *  0x308 ThreadListHead (-&gt; ETHREAD+0x420)
 *  0x328 ActiveThreads u32                        HANDLE_TABLE: 0x058 HandleCount u32
 *  0x338 Peb u64
 *  0x444 ExitStatus u32                           LDR_DATA_TABLE_ENTRY (kernel and user):
 *  0x448 VadRoot                                  0x000 InLoadOrderLinks  0x030 DllBase  0x038 EntryPoint
 *  0x4D0 (debugport) UserModuleList LIST_ENTRY64  0x040 SizeOfImage u32   0x048 FullDllName  0x058 BaseDllName
 *        of LDR_DATA_TABLE_ENTRY in kernel space  0x068 Flags u32  0x06C LoadCount u16  0x080 TimeDateStamp u32
 * </pre>
 *
 * The extension: Windows keeps a process's user-mode module list in its PEB (user memory, PEB.Ldr); the simulated
 * machine's PEBs carry no loader data, so the target also links each process's modules, as kernel-space
 * LDR_DATA_TABLE_ENTRY records, from {@link #EPROCESS_X_USER_MODULE_LIST} (just past the Windows structure). A host
 * that does not know the extension never reads it.
 */
public final class Win7Amd64 {
    /** The build number (GetVersion.MinorVersion, NtBuildNumber's low bits). */
    public static final int BUILD = 7601;
    /** CmNtCSDVersion of service pack 1: bits 8..15 hold the service-pack number. */
    public static final int CSD_VERSION_SP1 = 0x0100;
    /** NtBuildLab of the SP1 release build. */
    public static final String BUILD_LAB = "7601.17514.amd64fre.win7sp1_rtm.101119-1850";

    public static final int DISPATCHER_TYPE_PROCESS = 3;
    public static final int DISPATCHER_TYPE_THREAD = 6;

    public static final int EPROCESS_DIRECTORY_TABLE_BASE = 0x028;
    public static final int EPROCESS_KTHREAD_LIST_HEAD = 0x030;
    public static final int EPROCESS_CREATE_TIME = 0x168;
    public static final int EPROCESS_UNIQUE_PROCESS_ID = 0x180;
    public static final int EPROCESS_ACTIVE_PROCESS_LINKS = 0x188;
    public static final int EPROCESS_OBJECT_TABLE = 0x200;
    public static final int EPROCESS_INHERITED_FROM_UNIQUE_PROCESS_ID = 0x290;
    public static final int EPROCESS_IMAGE_FILE_NAME = 0x2E0;
    /** ImageFileName holds 15 bytes (the name is cut, NUL-padded). */
    public static final int IMAGE_FILE_NAME_LENGTH = 15;
    public static final int EPROCESS_THREAD_LIST_HEAD = 0x308;
    public static final int EPROCESS_ACTIVE_THREADS = 0x328;
    public static final int EPROCESS_PEB = 0x338;
    public static final int EPROCESS_EXIT_STATUS = 0x444;
    public static final int EPROCESS_VAD_ROOT = 0x448;
    public static final int EPROCESS_SIZE = 0x4D0;
    /** debugport extension: LIST_ENTRY64 head of the process's user-mode modules (LDR_DATA_TABLE_ENTRY in kernel space). */
    public static final int EPROCESS_X_USER_MODULE_LIST = 0x4D0;

    public static final int HANDLE_TABLE_HANDLE_COUNT = 0x058;

    public static final int KTHREAD_APC_STATE_PROCESS = 0x070;
    public static final int KTHREAD_TEB = 0x0B8;
    public static final int KTHREAD_STATE = 0x164;
    public static final int KTHREAD_PROCESS = 0x210;
    public static final int KTHREAD_THREAD_LIST_ENTRY = 0x2F8;
    public static final int KTHREAD_SIZE = 0x360;
    public static final int ETHREAD_CID = 0x3B0;
    public static final int ETHREAD_WIN32_START_ADDRESS = 0x410;
    public static final int ETHREAD_THREAD_LIST_ENTRY = 0x420;
    public static final int ETHREAD_SIZE = 0x498;
    /** KTHREAD.State values. */
    public static final int THREAD_STATE_READY = 1;
    public static final int THREAD_STATE_RUNNING = 2;
    public static final int THREAD_STATE_WAITING = 5;

    public static final int LDR_IN_LOAD_ORDER_LINKS = 0x000;
    public static final int LDR_DLL_BASE = 0x030;
    public static final int LDR_ENTRY_POINT = 0x038;
    public static final int LDR_SIZE_OF_IMAGE = 0x040;
    public static final int LDR_FULL_DLL_NAME = 0x048;
    public static final int LDR_BASE_DLL_NAME = 0x058;
    public static final int LDR_FLAGS = 0x068;
    public static final int LDR_LOAD_COUNT = 0x06C;
    public static final int LDR_TIME_DATE_STAMP = 0x080;
    public static final int LDR_SIZE = 0x0E0;

    public static final int UNICODE_STRING_LENGTH = 0x0;
    public static final int UNICODE_STRING_MAXIMUM_LENGTH = 0x2;
    public static final int UNICODE_STRING_BUFFER = 0x8;

    public static final int KPCR_SELF = 0x018;
    public static final int KPCR_CURRENT_PRCB = 0x020;
    public static final int KPCR_PRCB = 0x180;
    public static final int KPCR_SIZE = 0x4E80;
    public static final int KPRCB_CURRENT_THREAD = 0x008;
    public static final int KPRCB_NEXT_THREAD = 0x010;
    public static final int KPRCB_IDLE_THREAD = 0x018;
    public static final int KPRCB_NUMBER = 0x024;
    public static final int KPRCB_SIZE = 0x4D00;

    /** KUSER_SHARED_DATA as the kernel maps it, and as every process sees it. */
    public static final long KUSER_SHARED_DATA_KERNEL = 0xFFFF_F780_0000_0000L;
    public static final long KUSER_SHARED_DATA_USER = 0x7FFE_0000L;
    public static final int KUSER_NT_BUILD_NUMBER = 0x260;
    public static final int KUSER_NT_PRODUCT_TYPE = 0x264;
    public static final int KUSER_PRODUCT_TYPE_IS_VALID = 0x268;
    public static final int KUSER_NT_MAJOR_VERSION = 0x26C;
    public static final int KUSER_NT_MINOR_VERSION = 0x270;
    public static final int KUSER_KD_DEBUGGER_ENABLED = 0x2D4;

    /** The lowest kernel-mode address (MmSystemRangeStart on x64). */
    public static final long SYSTEM_RANGE_START = 0xFFFF_8000_0000_0000L;
    /** MmHighestUserAddress. */
    public static final long HIGHEST_USER_ADDRESS = 0x7FF_FFFE_FFFFL;
    /** MmUserProbeAddress. */
    public static final long USER_PROBE_ADDRESS = 0x7FF_FFFF_0000L;

    private Win7Amd64() {
    }

    /** @return true for an address in the kernel half of the canonical x64 address space */
    public static boolean isKernelAddress(long address) {
        return address < 0 && address >= SYSTEM_RANGE_START;
    }

    /** @return true for an address in the user half (below 0x0000800000000000) */
    public static boolean isUserAddress(long address) {
        return address >= 0 && address < 0x0000_8000_0000_0000L;
    }
}
