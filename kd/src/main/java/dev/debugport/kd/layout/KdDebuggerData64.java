package dev.debugport.kd.layout;

/**
 * Offsets in {@code KDDEBUGGER_DATA64} ("KDBG", {@code wdbgexts.h}; {@code spec/kd.md} §6.3): the block a host finds
 * through GetVersion's DebuggerDataList (a LIST_ENTRY64 whose Flink is the block's address). Every field from
 * {@code 0x38} to {@code 0x290} is a 64-bit address, in the order of {@code wdbgexts.h}; the block ends with 16-bit
 * structure offsets. Only the fields a host commonly reads have a constant here.
 *
 * <pre>
 *  0x000 LIST_ENTRY64 Header.List   0x010 u32 OwnerTag 'KDBG'   0x014 u32 Size
 *  0x018 KernBase                   0x020 BreakpointWithStatus  0x028 SavedContext
 *  0x030 u16 ThCallbackStack, NextCallback, FramePointer, PaeEnabled (0x036)
 *  0x038 KiCallUserMode             0x040 KeUserCallbackDispatcher
 *  0x048 PsLoadedModuleList         0x050 PsActiveProcessHead   0x058 PspCidTable
 *  ...   (Mm* and Ob* addresses)
 *  0x1E0 KdPrintCircularBuffer      0x1E8 KdPrintCircularBufferEnd
 *  0x1F0 KdPrintWritePointer        0x1F8 KdPrintRolloverCount
 *  0x200 MmLoadedUserImageList      0x208 NtBuildLab            0x210 KiNormalSystemCall
 *  0x218 KiProcessorBlock           0x268 CmNtCSDVersion (-&gt; u32, bits 8..15 = service pack)
 *  0x298 u16 OffsetKThread*, SizeEProcess (0x2A8), OffsetEprocessPeb (0x2AA) ... SizeEThread (0x2C0)
 *  0x2C8 KdPrintCircularBufferPtr   0x2D0 KdPrintBufferSize     0x340 end (Windows 7)
 * </pre>
 */
public final class KdDebuggerData64 {
    /** OwnerTag: the ASCII bytes "KDBG" as a little-endian u32. */
    public static final int OWNER_TAG_KDBG = 0x4742444B;
    /** Size of the block on Windows 7 (the Size field). */
    public static final int SIZE_WIN7 = 0x340;

    public static final int HEADER_LIST = 0x000;
    public static final int OWNER_TAG = 0x010;
    public static final int SIZE = 0x014;
    public static final int KERN_BASE = 0x018;
    public static final int BREAKPOINT_WITH_STATUS = 0x020;
    public static final int SAVED_CONTEXT = 0x028;
    public static final int TH_CALLBACK_STACK = 0x030;
    public static final int NEXT_CALLBACK = 0x032;
    public static final int FRAME_POINTER = 0x034;
    /** u16, bit 0: PAE enabled. */
    public static final int PAE_ENABLED = 0x036;
    public static final int KI_CALL_USER_MODE = 0x038;
    public static final int KE_USER_CALLBACK_DISPATCHER = 0x040;
    public static final int PS_LOADED_MODULE_LIST = 0x048;
    public static final int PS_ACTIVE_PROCESS_HEAD = 0x050;
    public static final int PSP_CID_TABLE = 0x058;
    public static final int KE_TIME_INCREMENT = 0x078;
    public static final int MM_PAGE_SIZE = 0x138;
    public static final int MM_HIGHEST_USER_ADDRESS = 0x1C8;
    public static final int MM_SYSTEM_RANGE_START = 0x1D0;
    public static final int MM_USER_PROBE_ADDRESS = 0x1D8;
    public static final int KD_PRINT_CIRCULAR_BUFFER = 0x1E0;
    public static final int KD_PRINT_CIRCULAR_BUFFER_END = 0x1E8;
    public static final int KD_PRINT_WRITE_POINTER = 0x1F0;
    public static final int KD_PRINT_ROLLOVER_COUNT = 0x1F8;
    public static final int MM_LOADED_USER_IMAGE_LIST = 0x200;
    public static final int NT_BUILD_LAB = 0x208;
    public static final int KI_NORMAL_SYSTEM_CALL = 0x210;
    public static final int KI_PROCESSOR_BLOCK = 0x218;
    public static final int CM_NT_CSD_VERSION = 0x268;
    public static final int OFFSET_KTHREAD_NEXT_PROCESSOR = 0x298;
    public static final int OFFSET_KTHREAD_TEB = 0x29A;
    public static final int OFFSET_KTHREAD_APC_PROCESS = 0x2A0;
    public static final int OFFSET_KTHREAD_STATE = 0x2A2;
    public static final int SIZE_EPROCESS = 0x2A8;
    public static final int OFFSET_EPROCESS_PEB = 0x2AA;
    public static final int OFFSET_EPROCESS_PARENT_CID = 0x2AC;
    public static final int OFFSET_EPROCESS_DIRECTORY_TABLE_BASE = 0x2AE;
    public static final int SIZE_PRCB = 0x2B0;
    public static final int OFFSET_PRCB_CURRENT_THREAD = 0x2B4;
    public static final int OFFSET_PRCB_NUMBER = 0x2BE;
    public static final int SIZE_ETHREAD = 0x2C0;
    public static final int KD_PRINT_CIRCULAR_BUFFER_PTR = 0x2C8;
    public static final int KD_PRINT_BUFFER_SIZE = 0x2D0;
    public static final int SIZE_PCR = 0x2E0;
    public static final int OFFSET_PCR_SELF_PCR = 0x2E2;
    public static final int OFFSET_PCR_CURRENT_PRCB = 0x2E4;
    public static final int OFFSET_PCR_CONTAINED_PRCB = 0x2E6;
    public static final int GDT_R0_CODE = 0x2F4;
    public static final int GDT_R0_DATA = 0x2F6;
    public static final int GDT_R0_PCR = 0x2F8;
    public static final int GDT_R3_CODE = 0x2FA;
    public static final int GDT_R3_DATA = 0x2FC;
    public static final int GDT_R3_TEB = 0x2FE;
    public static final int GDT_LDT = 0x300;
    public static final int GDT_TSS = 0x302;
    public static final int GDT64_R3_CM_CODE = 0x304;
    public static final int GDT64_R3_CM_TEB = 0x306;

    private KdDebuggerData64() {
    }
}
