package dev.debugport.kd.target;

/**
 * Where the target's synthetic kernel lives: the addresses of the Windows 7 SP1 x64-like kernel the engine presents
 * to a host (GetVersion's KernBase, PsLoadedModuleList, DebuggerDataList, and everything reachable from
 * {@code KDDEBUGGER_DATA64}). Structure layouts are in {@link dev.debugport.kd.layout.Win7Amd64}.
 *
 * <pre>
 *  fffff780`00000000  KUSER_SHARED_DATA (1 page; also readable at 7ffe0000 in every process)
 *  fffff800`00bc0000  kdcom.dll   (0xa000)
 *  fffff800`02a00000  ntoskrnl.exe (0x5e8000): PE headers; code at the RVAs below; data at RVA 0x200000:
 *      +0x000 KdVersionBlock (DBGKD_GET_VERSION64)     +0x040 KdpDebuggerDataListHead (LIST_ENTRY64)
 *      +0x050 PsLoadedModuleList                       +0x060 PsActiveProcessHead
 *      +0x070 MmLoadedUserImageList                    +0x080 CmNtCSDVersion u32 (0x100: SP1)
 *      +0x084 NtBuildNumber u32 (0xF0001DB1)           +0x088 KdDebuggerEnabled, +0x089 KdDebuggerNotPresent,
 *      +0x08A KdPitchDebugger, +0x08B KdEnteredDebugger (u8 each)   +0x08C KeTimeIncrement u32
 *      +0x090 KiProcessorBlock[64]                     +0x290 PspCidTable   +0x298 KdPrintWritePointer
 *      +0x2A0 KdPrintRolloverCount u32   +0x2A4 KdPrintBufferSize u32   +0x2A8 KdPrintCircularBufferPtr
 *      +0x2B0 MmHighestUserAddress  +0x2B8 MmSystemRangeStart  +0x2C0 MmUserProbeAddress
 *      +0x300 NtBuildLab (ANSI)                        +0x400 KdDebuggerDataBlock (KDDEBUGGER_DATA64, 0x340)
 *      +0x1000 KiInitialPcr (KPCR; its KPRCB at +0x180)  +0x6000 PsIdleProcess (EPROCESS, pid 0)
 *      +0x6800 KiInitialThread (the idle thread)       +0x8000 KdPrintCircularBuffer (0x8000 bytes)
 *      +0x18000 top of the idle thread's stack
 *  fffff800`02fe8000  hal.dll      (0x49000)
 *  fffffa80`00c00000  pool (256 MiB reserved): EPROCESS, ETHREAD, HANDLE_TABLE and LDR_DATA_TABLE_ENTRY records,
 *                     one 0x600-byte slot each, reused after the object is gone
 * </pre>
 */
public final class KdKernelLayout {
    public static final long KERN_BASE = 0xFFFF_F800_02A0_0000L;
    public static final int NT_SIZE = 0x5E_8000;
    public static final int NT_TIME_DATE_STAMP = 0x4CE7_951A;
    public static final long HAL_BASE = 0xFFFF_F800_02FE_8000L;
    public static final int HAL_SIZE = 0x4_9000;
    public static final long KDCOM_BASE = 0xFFFF_F800_00BC_0000L;
    public static final int KDCOM_SIZE = 0xA000;

    /** nt!DbgBreakPoint: {@code int 3; ret}. */
    public static final long DBG_BREAK_POINT = KERN_BASE + 0x7_C480;
    /** nt!DbgBreakPointWithStatus (= RtlpBreakWithStatusInstruction): {@code int 3; ret}; where a break-in stops. */
    public static final long DBG_BREAK_POINT_WITH_STATUS = KERN_BASE + 0x7_C490;
    /** nt!DbgLoadImageSymbols: where boot symbol-load reports come from. */
    public static final long DBG_LOAD_IMAGE_SYMBOLS = KERN_BASE + 0x7_C4A0;
    /** nt!KeBugCheckEx: where a bugcheck stops. */
    public static final long KE_BUG_CHECK_EX = KERN_BASE + 0x7_CF00;
    public static final long KI_SYSTEM_CALL64 = KERN_BASE + 0x7_B000;
    public static final long KI_CALL_USER_MODE = KERN_BASE + 0x7_A000;
    public static final long KE_USER_CALLBACK_DISPATCHER = KERN_BASE + 0x7_A100;

    static final long DATA = KERN_BASE + 0x20_0000;
    public static final long KD_VERSION_BLOCK = DATA;
    public static final long KDP_DEBUGGER_DATA_LIST_HEAD = DATA + 0x040;
    public static final long PS_LOADED_MODULE_LIST = DATA + 0x050;
    public static final long PS_ACTIVE_PROCESS_HEAD = DATA + 0x060;
    public static final long MM_LOADED_USER_IMAGE_LIST = DATA + 0x070;
    public static final long CM_NT_CSD_VERSION = DATA + 0x080;
    public static final long NT_BUILD_NUMBER = DATA + 0x084;
    public static final long KD_DEBUGGER_ENABLED = DATA + 0x088;
    public static final long KD_DEBUGGER_NOT_PRESENT = DATA + 0x089;
    public static final long KD_PITCH_DEBUGGER = DATA + 0x08A;
    public static final long KD_ENTERED_DEBUGGER = DATA + 0x08B;
    public static final long KE_TIME_INCREMENT = DATA + 0x08C;
    public static final long KI_PROCESSOR_BLOCK = DATA + 0x090;
    public static final long PSP_CID_TABLE = DATA + 0x290;
    public static final long KD_PRINT_WRITE_POINTER = DATA + 0x298;
    public static final long KD_PRINT_ROLLOVER_COUNT = DATA + 0x2A0;
    public static final long KD_PRINT_BUFFER_SIZE = DATA + 0x2A4;
    public static final long KD_PRINT_CIRCULAR_BUFFER_PTR = DATA + 0x2A8;
    public static final long MM_HIGHEST_USER_ADDRESS = DATA + 0x2B0;
    public static final long MM_SYSTEM_RANGE_START = DATA + 0x2B8;
    public static final long MM_USER_PROBE_ADDRESS = DATA + 0x2C0;
    public static final long NT_BUILD_LAB = DATA + 0x300;
    public static final long KD_DEBUGGER_DATA_BLOCK = DATA + 0x400;
    public static final long KPCR = DATA + 0x1000;
    public static final long KPRCB = KPCR + 0x180;
    public static final long PS_IDLE_PROCESS = DATA + 0x6000;
    public static final long IDLE_THREAD = DATA + 0x6800;
    public static final long KD_PRINT_CIRCULAR_BUFFER = DATA + 0x8000;
    public static final int KD_PRINT_CIRCULAR_BUFFER_SIZE = 0x8000;
    public static final long IDLE_STACK_TOP = DATA + 0x1_8000;
    /** The GDT and IDT the special registers point at. */
    public static final long GDT_BASE = DATA + 0x1_9000;
    public static final long IDT_BASE = DATA + 0x1_A000;

    public static final long POOL_BASE = 0xFFFF_FA80_00C0_0000L;
    public static final long POOL_SIZE = 0x1000_0000L;
    /** Every pool record takes one slot of this size. */
    public static final int POOL_SLOT = 0x600;

    /** KPROCESS.DirectoryTableBase of the System (and idle) process. */
    public static final long SYSTEM_DIRECTORY_TABLE_BASE = 0x18_7000L;

    private KdKernelLayout() {
    }

    /** @return the DirectoryTableBase (CR3) the target reports for the process with {@code pid} */
    public static long directoryTableBase(long pid) {
        return pid == 4 || pid == 0 ? SYSTEM_DIRECTORY_TABLE_BASE : 0x2000_0000L + pid * 0x1000;
    }
}
