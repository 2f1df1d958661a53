package dev.debugport.kd.target;

import static dev.debugport.kd.target.KdKernelLayout.*;

import dev.debugport.kd.layout.KdDebuggerData64;
import dev.debugport.kd.layout.Win7Amd64;
import dev.debugport.kd.message.GetVersion;
import dev.debugport.kd.message.KdArchitecture;
import dev.debugport.kd.message.ManipulateApiNumber;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.KernelDebuggerState;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.kernel.ps.Peb;
import dev.debugport.kd.codec.KdConstants;
import dev.debugport.kd.codec.KdPacketType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The synthetic kernel the engine presents to a host: a Windows 7 SP1 x64 (build 7601) ntoskrnl with its version
 * block, {@code KDDEBUGGER_DATA64}, PsLoadedModuleList (ntoskrnl.exe, hal.dll, kdcom.dll), PsActiveProcessHead with
 * an EPROCESS per process of the machine (and an ETHREAD per thread, a HANDLE_TABLE, the user-mode modules),
 * KUSER_SHARED_DATA, and processor 0's KPCR/KPRCB. Addresses: {@link KdKernelLayout}; structure layouts:
 * {@link Win7Amd64}.
 *
 * <p>The static part is built once; the lists are rebuilt from the machine at every entry into the debugger
 * ({@link #refresh}), while the machine is frozen. A process or thread keeps its record's address for as long as it
 * lives; the slot is reused after it is gone (as pool memory is).
 *
 * <p>Confined to the engine thread.
 */
final class KdKernelImage {
    /** GetVersion.Flags: DBGKD_VERS_FLAG_DATA | DBGKD_VERS_FLAG_PTR64 (one processor, so no MP flag). */
    static final int VERSION_FLAGS = 0x2 | 0x4;
    /** KSPECIAL_REGISTERS of Windows 7 x64, the control-space item of selector 2. */
    static final int SPECIAL_REGISTERS_SIZE = 0xD8;

    private static final String[] KERNEL_MODULES = {"ntoskrnl.exe", "hal.dll", "kdcom.dll"};

    private final Kernel kernel;
    private final KernelSpace space = new KernelSpace();
    private final GetVersion version;

    private long poolNext = POOL_BASE;
    private final ArrayDeque<Long> freeSlots = new ArrayDeque<>();
    private final Map<EProcess, Long> processSlots = new IdentityHashMap<>();
    private final Map<EProcess, Long> handleTableSlots = new IdentityHashMap<>();
    private final Map<EThread, Long> threadSlots = new IdentityHashMap<>();
    private final Map<ModuleKey, Long> moduleSlots = new HashMap<>();
    private final long[] kernelModuleEntries = new long[KERNEL_MODULES.length];
    private long cidTable;
    private int printOffset;
    private int printRollover;

    /** A user-mode module of one process (identity of both). */
    private record ModuleKey(EProcess process, ImageInfo image) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ModuleKey k && k.process == process && k.image == image;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(process) * 31 + System.identityHashCode(image);
        }
    }

    KdKernelImage(Kernel kernel) {
        this.kernel = kernel;
        this.version = new GetVersion(0x000F, Win7Amd64.BUILD, KdConstants.DBGKD_64BIT_PROTOCOL_VERSION2, 2,
                VERSION_FLAGS, KdArchitecture.AMD64.machineType(), KdPacketType.PACKET_TYPE_MAX.value(), 3,
                ManipulateApiNumber.MAXIMUM - ManipulateApiNumber.MINIMUM, 0, KERN_BASE, PS_LOADED_MODULE_LIST,
                KDP_DEBUGGER_DATA_LIST_HEAD);
        build();
    }

    KernelSpace space() {
        return space;
    }

    /** @return the DBGKD_GET_VERSION64 of this kernel (GetVersion's reply) */
    GetVersion versionBlock() {
        return version;
    }

    // ---- the static part ------------------------------------------------------------------------------------

    private void build() {
        space.map(Win7Amd64.KUSER_SHARED_DATA_KERNEL, KernelSpace.PAGE);
        space.map(KERN_BASE, NT_SIZE);
        space.map(HAL_BASE, HAL_SIZE);
        space.map(KDCOM_BASE, KDCOM_SIZE);
        space.map(POOL_BASE, POOL_SIZE);

        writePeHeader(KERN_BASE, NT_SIZE, 0x1F_5000, NT_TIME_DATE_STAMP);
        writePeHeader(HAL_BASE, HAL_SIZE, 0x1_2000, 0x4CE7_8A09);
        writePeHeader(KDCOM_BASE, KDCOM_SIZE, 0x1000, 0x4A5B_DFFE);

        byte[] int3Ret = {(byte) 0xCC, (byte) 0xC3};
        space.write(DBG_BREAK_POINT, int3Ret);
        space.write(DBG_BREAK_POINT_WITH_STATUS, int3Ret);
        space.write(DBG_LOAD_IMAGE_SYMBOLS, new byte[] {(byte) 0xCD, 0x2D, (byte) 0xCC, (byte) 0xC3}); // int 2dh; int 3
        space.write(KE_BUG_CHECK_EX, int3Ret);
        space.write(KI_SYSTEM_CALL64, new byte[] {0x0F, 0x01, (byte) 0xF8, (byte) 0xCC}); // swapgs; ...

        // Exported variables.
        space.putU32(CM_NT_CSD_VERSION, Win7Amd64.CSD_VERSION_SP1);
        space.putU32(NT_BUILD_NUMBER, 0xF000_0000 | Win7Amd64.BUILD);
        space.putU32(KE_TIME_INCREMENT, 156_250);
        space.putU64(KI_PROCESSOR_BLOCK, KPRCB);
        space.putU64(KD_PRINT_WRITE_POINTER, KD_PRINT_CIRCULAR_BUFFER);
        space.putU32(KD_PRINT_BUFFER_SIZE, KD_PRINT_CIRCULAR_BUFFER_SIZE);
        space.putU64(KD_PRINT_CIRCULAR_BUFFER_PTR, KD_PRINT_CIRCULAR_BUFFER);
        space.putU64(MM_HIGHEST_USER_ADDRESS, Win7Amd64.HIGHEST_USER_ADDRESS);
        space.putU64(MM_SYSTEM_RANGE_START, Win7Amd64.SYSTEM_RANGE_START);
        space.putU64(MM_USER_PROBE_ADDRESS, Win7Amd64.USER_PROBE_ADDRESS);
        space.putAnsiz(NT_BUILD_LAB, Win7Amd64.BUILD_LAB);
        cidTable = allocateSlot();
        space.putU64(PSP_CID_TABLE, cidTable);
        space.putListEntry(MM_LOADED_USER_IMAGE_LIST, MM_LOADED_USER_IMAGE_LIST, MM_LOADED_USER_IMAGE_LIST);

        // The version block (what GetVersion returns; KPCR.KdVersionBlock points at it).
        ByteBuffer header = ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN);
        version.writeUnion(header, KdArchitecture.AMD64);
        byte[] block = new byte[40];
        header.get(16, block);
        space.write(KD_VERSION_BLOCK, block);

        writeDebuggerDataBlock();
        space.putListEntry(KDP_DEBUGGER_DATA_LIST_HEAD, KD_DEBUGGER_DATA_BLOCK, KD_DEBUGGER_DATA_BLOCK);

        // The boot modules: nt, hal, kdcom on PsLoadedModuleList.
        long[] bases = {KERN_BASE, HAL_BASE, KDCOM_BASE};
        int[] sizes = {NT_SIZE, HAL_SIZE, KDCOM_SIZE};
        List<Long> entries = new ArrayList<>();
        for (int i = 0; i < KERNEL_MODULES.length; i++) {
            long e = allocateSlot();
            writeLdrEntry(e, "\\SystemRoot\\system32\\" + KERNEL_MODULES[i], KERNEL_MODULES[i], bases[i], sizes[i],
                    bases[i] + 0x1000, i == 0 ? NT_TIME_DATE_STAMP : 0);
            kernelModuleEntries[i] = e;
            entries.add(e + Win7Amd64.LDR_IN_LOAD_ORDER_LINKS);
        }
        linkList(PS_LOADED_MODULE_LIST, entries);

        writeProcessorBlock();
        writeSharedUserData();
        space.putListEntry(PS_ACTIVE_PROCESS_HEAD, PS_ACTIVE_PROCESS_HEAD, PS_ACTIVE_PROCESS_HEAD);
    }

    private void writePeHeader(long base, int size, int entryRva, int timeDateStamp) {
        space.write(base, new byte[] {'M', 'Z', (byte) 0x90, 0});
        space.putU32(base + 0x3C, 0x100);
        long pe = base + 0x100;
        space.write(pe, new byte[] {'P', 'E', 0, 0});
        space.putU16(pe + 4, KdArchitecture.AMD64.machineType());
        space.putU16(pe + 6, 0);                // NumberOfSections
        space.putU32(pe + 8, timeDateStamp);
        space.putU16(pe + 20, 0xF0);            // SizeOfOptionalHeader
        space.putU16(pe + 22, 0x22);            // EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE
        long opt = pe + 24;
        space.putU16(opt, 0x20B);               // PE32+
        space.putU32(opt + 0x10, entryRva);
        space.putU32(opt + 0x14, 0x1000);       // BaseOfCode
        space.putU64(opt + 0x18, base);         // ImageBase
        space.putU32(opt + 0x20, 0x1000);       // SectionAlignment
        space.putU32(opt + 0x24, 0x200);        // FileAlignment
        space.putU16(opt + 0x28, 6);            // OperatingSystemVersion 6.1
        space.putU16(opt + 0x2A, 1);
        space.putU16(opt + 0x2C, 6);            // ImageVersion 6.1
        space.putU16(opt + 0x2E, 1);
        space.putU16(opt + 0x30, 6);            // SubsystemVersion 6.1
        space.putU16(opt + 0x32, 1);
        space.putU32(opt + 0x38, size);         // SizeOfImage
        space.putU32(opt + 0x3C, 0x400);        // SizeOfHeaders
        space.putU16(opt + 0x44, 1);            // IMAGE_SUBSYSTEM_NATIVE
        space.putU32(opt + 0x6C, 16);           // NumberOfRvaAndSizes
    }

    private void writeDebuggerDataBlock() {
        long k = KD_DEBUGGER_DATA_BLOCK;
        space.putListEntry(k + KdDebuggerData64.HEADER_LIST, KDP_DEBUGGER_DATA_LIST_HEAD, KDP_DEBUGGER_DATA_LIST_HEAD);
        space.putU32(k + KdDebuggerData64.OWNER_TAG, KdDebuggerData64.OWNER_TAG_KDBG);
        space.putU32(k + KdDebuggerData64.SIZE, KdDebuggerData64.SIZE_WIN7);
        space.putU64(k + KdDebuggerData64.KERN_BASE, KERN_BASE);
        space.putU64(k + KdDebuggerData64.BREAKPOINT_WITH_STATUS, DBG_BREAK_POINT_WITH_STATUS);
        space.putU16(k + KdDebuggerData64.TH_CALLBACK_STACK, 0x1E8);
        space.putU16(k + KdDebuggerData64.NEXT_CALLBACK, 0x8);
        space.putU16(k + KdDebuggerData64.FRAME_POINTER, 0);
        space.putU16(k + KdDebuggerData64.PAE_ENABLED, 1);
        space.putU64(k + KdDebuggerData64.KI_CALL_USER_MODE, KI_CALL_USER_MODE);
        space.putU64(k + KdDebuggerData64.KE_USER_CALLBACK_DISPATCHER, KE_USER_CALLBACK_DISPATCHER);
        space.putU64(k + KdDebuggerData64.PS_LOADED_MODULE_LIST, PS_LOADED_MODULE_LIST);
        space.putU64(k + KdDebuggerData64.PS_ACTIVE_PROCESS_HEAD, PS_ACTIVE_PROCESS_HEAD);
        space.putU64(k + KdDebuggerData64.PSP_CID_TABLE, PSP_CID_TABLE);
        space.putU64(k + KdDebuggerData64.KE_TIME_INCREMENT, KE_TIME_INCREMENT);
        space.putU64(k + KdDebuggerData64.MM_PAGE_SIZE, 0x1000);
        space.putU64(k + KdDebuggerData64.MM_HIGHEST_USER_ADDRESS, MM_HIGHEST_USER_ADDRESS);
        space.putU64(k + KdDebuggerData64.MM_SYSTEM_RANGE_START, MM_SYSTEM_RANGE_START);
        space.putU64(k + KdDebuggerData64.MM_USER_PROBE_ADDRESS, MM_USER_PROBE_ADDRESS);
        space.putU64(k + KdDebuggerData64.KD_PRINT_CIRCULAR_BUFFER, KD_PRINT_CIRCULAR_BUFFER);
        space.putU64(k + KdDebuggerData64.KD_PRINT_CIRCULAR_BUFFER_END,
                KD_PRINT_CIRCULAR_BUFFER + KD_PRINT_CIRCULAR_BUFFER_SIZE);
        space.putU64(k + KdDebuggerData64.KD_PRINT_WRITE_POINTER, KD_PRINT_WRITE_POINTER);
        space.putU64(k + KdDebuggerData64.KD_PRINT_ROLLOVER_COUNT, KD_PRINT_ROLLOVER_COUNT);
        space.putU64(k + KdDebuggerData64.MM_LOADED_USER_IMAGE_LIST, MM_LOADED_USER_IMAGE_LIST);
        space.putU64(k + KdDebuggerData64.NT_BUILD_LAB, NT_BUILD_LAB);
        space.putU64(k + KdDebuggerData64.KI_NORMAL_SYSTEM_CALL, KI_SYSTEM_CALL64);
        space.putU64(k + KdDebuggerData64.KI_PROCESSOR_BLOCK, KI_PROCESSOR_BLOCK);
        space.putU64(k + KdDebuggerData64.CM_NT_CSD_VERSION, CM_NT_CSD_VERSION);
        space.putU16(k + KdDebuggerData64.OFFSET_KTHREAD_TEB, Win7Amd64.KTHREAD_TEB);
        space.putU16(k + KdDebuggerData64.OFFSET_KTHREAD_APC_PROCESS, Win7Amd64.KTHREAD_APC_STATE_PROCESS);
        space.putU16(k + KdDebuggerData64.OFFSET_KTHREAD_STATE, Win7Amd64.KTHREAD_STATE);
        space.putU16(k + KdDebuggerData64.SIZE_EPROCESS, Win7Amd64.EPROCESS_SIZE);
        space.putU16(k + KdDebuggerData64.OFFSET_EPROCESS_PEB, Win7Amd64.EPROCESS_PEB);
        space.putU16(k + KdDebuggerData64.OFFSET_EPROCESS_PARENT_CID, Win7Amd64.EPROCESS_INHERITED_FROM_UNIQUE_PROCESS_ID);
        space.putU16(k + KdDebuggerData64.OFFSET_EPROCESS_DIRECTORY_TABLE_BASE, Win7Amd64.EPROCESS_DIRECTORY_TABLE_BASE);
        space.putU16(k + KdDebuggerData64.SIZE_PRCB, Win7Amd64.KPRCB_SIZE);
        space.putU16(k + KdDebuggerData64.OFFSET_PRCB_CURRENT_THREAD, Win7Amd64.KPRCB_CURRENT_THREAD);
        space.putU16(k + KdDebuggerData64.OFFSET_PRCB_NUMBER, Win7Amd64.KPRCB_NUMBER);
        space.putU16(k + KdDebuggerData64.SIZE_ETHREAD, Win7Amd64.ETHREAD_SIZE);
        space.putU64(k + KdDebuggerData64.KD_PRINT_CIRCULAR_BUFFER_PTR, KD_PRINT_CIRCULAR_BUFFER_PTR);
        space.putU64(k + KdDebuggerData64.KD_PRINT_BUFFER_SIZE, KD_PRINT_BUFFER_SIZE);
        space.putU16(k + KdDebuggerData64.SIZE_PCR, Win7Amd64.KPCR_SIZE);
        space.putU16(k + KdDebuggerData64.OFFSET_PCR_SELF_PCR, Win7Amd64.KPCR_SELF);
        space.putU16(k + KdDebuggerData64.OFFSET_PCR_CURRENT_PRCB, Win7Amd64.KPCR_CURRENT_PRCB);
        space.putU16(k + KdDebuggerData64.OFFSET_PCR_CONTAINED_PRCB, Win7Amd64.KPCR_PRCB);
        space.putU16(k + KdDebuggerData64.GDT_R0_CODE, 0x10);
        space.putU16(k + KdDebuggerData64.GDT_R0_DATA, 0x18);
        space.putU16(k + KdDebuggerData64.GDT_R0_PCR, 0x50);
        space.putU16(k + KdDebuggerData64.GDT_R3_CODE, 0x33);
        space.putU16(k + KdDebuggerData64.GDT_R3_DATA, 0x2B);
        space.putU16(k + KdDebuggerData64.GDT_R3_TEB, 0x53);
        space.putU16(k + KdDebuggerData64.GDT_TSS, 0x40);
        space.putU16(k + KdDebuggerData64.GDT64_R3_CM_CODE, 0x23);
        space.putU16(k + KdDebuggerData64.GDT64_R3_CM_TEB, 0x53);
    }

    private void writeProcessorBlock() {
        space.putU64(KPCR + Win7Amd64.KPCR_SELF, KPCR);
        space.putU64(KPCR + Win7Amd64.KPCR_CURRENT_PRCB, KPRCB);
        space.putU64(KPCR + 0x108, KD_VERSION_BLOCK);      // KPCR.KdVersionBlock
        space.putU64(KPRCB + Win7Amd64.KPRCB_IDLE_THREAD, IDLE_THREAD);
        space.putU64(KPRCB + Win7Amd64.KPRCB_CURRENT_THREAD, IDLE_THREAD);
        space.putU32(KPRCB + Win7Amd64.KPRCB_NUMBER, 0);
        // PsIdleProcess and its one thread (not on PsActiveProcessHead, as on Windows).
        space.putU8(PS_IDLE_PROCESS, Win7Amd64.DISPATCHER_TYPE_PROCESS);
        space.putU64(PS_IDLE_PROCESS + Win7Amd64.EPROCESS_DIRECTORY_TABLE_BASE, SYSTEM_DIRECTORY_TABLE_BASE);
        space.write(PS_IDLE_PROCESS + Win7Amd64.EPROCESS_IMAGE_FILE_NAME, "Idle".getBytes(StandardCharsets.ISO_8859_1));
        linkList(PS_IDLE_PROCESS + Win7Amd64.EPROCESS_KTHREAD_LIST_HEAD, List.of(IDLE_THREAD + Win7Amd64.KTHREAD_THREAD_LIST_ENTRY));
        linkList(PS_IDLE_PROCESS + Win7Amd64.EPROCESS_THREAD_LIST_HEAD, List.of(IDLE_THREAD + Win7Amd64.ETHREAD_THREAD_LIST_ENTRY));
        space.putListEntry(PS_IDLE_PROCESS + Win7Amd64.EPROCESS_X_USER_MODULE_LIST,
                PS_IDLE_PROCESS + Win7Amd64.EPROCESS_X_USER_MODULE_LIST, PS_IDLE_PROCESS + Win7Amd64.EPROCESS_X_USER_MODULE_LIST);
        space.putU8(IDLE_THREAD, Win7Amd64.DISPATCHER_TYPE_THREAD);
        space.putU64(IDLE_THREAD + Win7Amd64.KTHREAD_APC_STATE_PROCESS, PS_IDLE_PROCESS);
        space.putU64(IDLE_THREAD + Win7Amd64.KTHREAD_PROCESS, PS_IDLE_PROCESS);
        space.putU8(IDLE_THREAD + Win7Amd64.KTHREAD_STATE, Win7Amd64.THREAD_STATE_RUNNING);
    }

    private void writeSharedUserData() {
        long s = Win7Amd64.KUSER_SHARED_DATA_KERNEL;
        space.putU32(s + Win7Amd64.KUSER_NT_BUILD_NUMBER, Win7Amd64.BUILD);
        space.putU32(s + Win7Amd64.KUSER_NT_PRODUCT_TYPE, 1);      // NtProductWinNt
        space.putU8(s + Win7Amd64.KUSER_PRODUCT_TYPE_IS_VALID, 1);
        space.putU32(s + Win7Amd64.KUSER_NT_MAJOR_VERSION, 6);
        space.putU32(s + Win7Amd64.KUSER_NT_MINOR_VERSION, 1);
    }

    // ---- the dynamic part -----------------------------------------------------------------------------------

    /**
     * Rebuilds the global flags, PsActiveProcessHead and every EPROCESS / ETHREAD / module record from the machine,
     * and makes {@code stop}'s thread current in the KPRCB.
     */
    void refresh(KdStop stop, KernelDebuggerState flags) {
        space.putU8(KD_DEBUGGER_ENABLED, flags.kdDebuggerEnabled() ? 1 : 0);
        space.putU8(KD_DEBUGGER_NOT_PRESENT, flags.kdDebuggerNotPresent() ? 1 : 0);
        space.putU8(KD_PITCH_DEBUGGER, flags.kdPitchDebugger() ? 1 : 0);
        space.putU8(KD_ENTERED_DEBUGGER, flags.kdEnteredDebugger() ? 1 : 0);
        space.putU8(Win7Amd64.KUSER_SHARED_DATA_KERNEL + Win7Amd64.KUSER_KD_DEBUGGER_ENABLED,
                flags.sharedUserDataKdDebuggerEnabled());

        List<EProcess> processes = kernel.clientIds().allProcesses().stream().filter(p -> !p.hasExited()).toList();
        Set<EProcess> liveProcesses = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        liveProcesses.addAll(processes);
        Set<EThread> liveThreads = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Set<ModuleKey> liveModules = new java.util.HashSet<>();
        for (EProcess p : processes) {
            for (EThread t : p.threads()) {
                if (!t.hasExited()) {
                    liveThreads.add(t);
                }
            }
            for (ImageInfo image : userModules(p)) {
                liveModules.add(new ModuleKey(p, image));
            }
        }
        release(processSlots, liveProcesses);
        release(handleTableSlots, liveProcesses);
        release(threadSlots, liveThreads);
        release(moduleSlots, liveModules);

        EThread current = stop == null ? null : stop.thread;
        List<Long> processLinks = new ArrayList<>();
        for (EProcess p : processes) {
            long ep = slot(processSlots, p);
            processLinks.add(ep + Win7Amd64.EPROCESS_ACTIVE_PROCESS_LINKS);
            writeProcess(p, ep, current);
        }
        linkList(PS_ACTIVE_PROCESS_HEAD, processLinks);
        space.putU32(cidTable + Win7Amd64.HANDLE_TABLE_HANDLE_COUNT, processes.size() + liveThreads.size());
        space.putU64(KPRCB + Win7Amd64.KPRCB_CURRENT_THREAD, kthreadOf(current));
    }

    private void writeProcess(EProcess p, long ep, EThread current) {
        space.zero(ep, KdKernelLayout.POOL_SLOT);
        space.putU8(ep, Win7Amd64.DISPATCHER_TYPE_PROCESS);
        space.putU64(ep + Win7Amd64.EPROCESS_DIRECTORY_TABLE_BASE, directoryTableBase(p.pid()));
        space.putU64(ep + Win7Amd64.EPROCESS_UNIQUE_PROCESS_ID, p.pid());
        space.putU64(ep + Win7Amd64.EPROCESS_INHERITED_FROM_UNIQUE_PROCESS_ID, p.parentPid());
        String name = p.image() == null ? (p.pid() == 4 ? "System" : "") : p.image().baseName();
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        space.write(ep + Win7Amd64.EPROCESS_IMAGE_FILE_NAME, java.util.Arrays.copyOf(n, Math.min(n.length, Win7Amd64.IMAGE_FILE_NAME_LENGTH)));
        Peb peb = p.peb();
        space.putU64(ep + Win7Amd64.EPROCESS_PEB, peb == null ? 0 : peb.address());
        space.putU32(ep + Win7Amd64.EPROCESS_EXIT_STATUS, p.exitStatus());
        long ht = slot(handleTableSlots, p);
        space.zero(ht, KdKernelLayout.POOL_SLOT);
        int handleCount = p.handleTable().size();
        space.putU32(ht + Win7Amd64.HANDLE_TABLE_HANDLE_COUNT, handleCount);
        space.putU64(ep + Win7Amd64.EPROCESS_OBJECT_TABLE, ht);

        List<Long> kthreadLinks = new ArrayList<>();
        List<Long> ethreadLinks = new ArrayList<>();
        int active = 0;
        for (EThread t : p.threads()) {
            if (t.hasExited()) {
                continue;
            }
            active++;
            long et = slot(threadSlots, t);
            writeThread(t, et, ep, t == current);
            kthreadLinks.add(et + Win7Amd64.KTHREAD_THREAD_LIST_ENTRY);
            ethreadLinks.add(et + Win7Amd64.ETHREAD_THREAD_LIST_ENTRY);
        }
        space.putU32(ep + Win7Amd64.EPROCESS_ACTIVE_THREADS, active);
        linkList(ep + Win7Amd64.EPROCESS_KTHREAD_LIST_HEAD, kthreadLinks);
        linkList(ep + Win7Amd64.EPROCESS_THREAD_LIST_HEAD, ethreadLinks);

        List<Long> moduleLinks = new ArrayList<>();
        for (ImageInfo image : userModules(p)) {
            long e = slot(moduleSlots, new ModuleKey(p, image));
            writeLdrEntry(e, image.path(), image.baseName(), image.base(), (int) image.size(), image.entryPoint(), 0);
            moduleLinks.add(e + Win7Amd64.LDR_IN_LOAD_ORDER_LINKS);
        }
        linkList(ep + Win7Amd64.EPROCESS_X_USER_MODULE_LIST, moduleLinks);
    }

    private void writeThread(EThread t, long et, long ep, boolean current) {
        space.zero(et, KdKernelLayout.POOL_SLOT);
        space.putU8(et, Win7Amd64.DISPATCHER_TYPE_THREAD);
        space.putU64(et + Win7Amd64.KTHREAD_APC_STATE_PROCESS, ep);
        space.putU64(et + Win7Amd64.KTHREAD_TEB, t.teb() == null ? 0 : t.teb().address());
        space.putU8(et + Win7Amd64.KTHREAD_STATE, current ? Win7Amd64.THREAD_STATE_RUNNING : Win7Amd64.THREAD_STATE_WAITING);
        space.putU64(et + Win7Amd64.KTHREAD_PROCESS, ep);
        space.putU64(et + Win7Amd64.ETHREAD_CID, t.process().pid());
        space.putU64(et + Win7Amd64.ETHREAD_CID + 8, t.tid());
        space.putU64(et + Win7Amd64.ETHREAD_WIN32_START_ADDRESS, t.win32StartAddress());
    }

    private static List<ImageInfo> userModules(EProcess p) {
        synchronized (p.loaderList()) {
            return List.copyOf(p.loaderList());
        }
    }

    private void writeLdrEntry(long e, String fullName, String baseName, long base, int size, long entry, int timeStamp) {
        space.zero(e, KdKernelLayout.POOL_SLOT);
        space.putU64(e + Win7Amd64.LDR_DLL_BASE, base);
        space.putU64(e + Win7Amd64.LDR_ENTRY_POINT, entry);
        space.putU32(e + Win7Amd64.LDR_SIZE_OF_IMAGE, size);
        writeUnicodeString(e + Win7Amd64.LDR_FULL_DLL_NAME, e + 0x100, fullName, 0x2FE);
        writeUnicodeString(e + Win7Amd64.LDR_BASE_DLL_NAME, e + 0x400, baseName, 0xFE);
        space.putU32(e + Win7Amd64.LDR_FLAGS, 0x4000);       // LDRP_ENTRY_PROCESSED
        space.putU16(e + Win7Amd64.LDR_LOAD_COUNT, 1);
        space.putU32(e + Win7Amd64.LDR_TIME_DATE_STAMP, timeStamp);
    }

    private void writeUnicodeString(long at, long buffer, String text, int maxBytes) {
        String cut = text.length() * 2 > maxBytes ? text.substring(0, maxBytes / 2) : text;
        int length = space.putUtf16z(buffer, cut);
        space.putU16(at + Win7Amd64.UNICODE_STRING_LENGTH, length);
        space.putU16(at + Win7Amd64.UNICODE_STRING_MAXIMUM_LENGTH, length + 2);
        space.putU64(at + Win7Amd64.UNICODE_STRING_BUFFER, buffer);
    }

    /** Links {@code entries} (addresses of LIST_ENTRY64 fields) behind the head at {@code head}, in order. */
    private void linkList(long head, List<Long> entries) {
        if (entries.isEmpty()) {
            space.putListEntry(head, head, head);
            return;
        }
        space.putListEntry(head, entries.getFirst(), entries.getLast());
        for (int i = 0; i < entries.size(); i++) {
            long next = i + 1 < entries.size() ? entries.get(i + 1) : head;
            long prev = i > 0 ? entries.get(i - 1) : head;
            space.putListEntry(entries.get(i), next, prev);
        }
    }

    // ---- pool slots -----------------------------------------------------------------------------------------

    private long allocateSlot() {
        Long reused = freeSlots.poll();
        long slot;
        if (reused != null) {
            slot = reused;
        } else {
            if (poolNext + KdKernelLayout.POOL_SLOT > POOL_BASE + POOL_SIZE) {
                throw new IllegalStateException("the synthetic kernel pool is full");
            }
            slot = poolNext;
            poolNext += KdKernelLayout.POOL_SLOT;
        }
        space.zero(slot, KdKernelLayout.POOL_SLOT);
        return slot;
    }

    private <K> long slot(Map<K, Long> slots, K key) {
        Long s = slots.get(key);
        if (s == null) {
            s = allocateSlot();
            slots.put(key, s);
        }
        return s;
    }

    private <K> void release(Map<K, Long> slots, Set<K> live) {
        var it = slots.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (!live.contains(e.getKey())) {
                space.zero(e.getValue(), KdKernelLayout.POOL_SLOT);
                freeSlots.add(e.getValue());
                it.remove();
            }
        }
    }

    // ---- lookups used by the engine ------------------------------------------------------------------------

    /** @return the KTHREAD (ETHREAD) address of {@code thread}, or the idle thread's for null */
    long kthreadOf(EThread thread) {
        if (thread == null) {
            return IDLE_THREAD;
        }
        Long s = threadSlots.get(thread);
        return s == null ? IDLE_THREAD : s;
    }

    /** @return the EPROCESS address of {@code process}, or PsIdleProcess for null */
    long eprocessOf(EProcess process) {
        if (process == null) {
            return PS_IDLE_PROCESS;
        }
        Long s = processSlots.get(process);
        return s == null ? PS_IDLE_PROCESS : s;
    }

    /** Appends DbgPrint output to KdPrintCircularBuffer (what {@code !dbgprint} shows). */
    void appendPrintLog(byte[] text) {
        for (byte b : text) {
            space.putU8(KD_PRINT_CIRCULAR_BUFFER + printOffset, b & 0xFF);
            printOffset++;
            if (printOffset == KD_PRINT_CIRCULAR_BUFFER_SIZE) {
                printOffset = 0;
                printRollover++;
                space.putU32(KD_PRINT_ROLLOVER_COUNT, printRollover);
            }
        }
        space.putU64(KD_PRINT_WRITE_POINTER, KD_PRINT_CIRCULAR_BUFFER + printOffset);
    }

    /**
     * KSPECIAL_REGISTERS of processor 0 for {@code stop} (AMD64 control space, selector 2): CR0, CR2, CR3 (the
     * current process's DirectoryTableBase), CR4, the kernel debug registers, GDTR/IDTR, TR, MXCSR.
     */
    byte[] specialRegisters(KdStop stop) {
        ByteBuffer b = ByteBuffer.allocate(SPECIAL_REGISTERS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0x00, 0x8005_0033L);                                           // Cr0: PG|WP|NE|ET|MP|PE
        b.putLong(0x08, 0);                                                      // Cr2
        b.putLong(0x10, stop == null || stop.process == null ? SYSTEM_DIRECTORY_TABLE_BASE
                : directoryTableBase(stop.process.pid()));                       // Cr3
        b.putLong(0x18, 0x406F8L);                                               // Cr4
        b.putLong(0x48, stop == null ? 0 : stop.kernelDr7);                      // KernelDr7
        b.putShort(0x56, (short) 0x7F);                                          // Gdtr.Limit
        b.putLong(0x58, GDT_BASE);                                               // Gdtr.Base
        b.putShort(0x66, (short) 0xFFF);                                         // Idtr.Limit
        b.putLong(0x68, IDT_BASE);                                               // Idtr.Base
        b.putShort(0x70, (short) 0x40);                                          // Tr
        b.putInt(0x74, 0x1F80);                                                  // MxCsr
        b.putLong(0xA8, KPCR);                                                   // MsrGsBase
        b.putLong(0xC0, KI_SYSTEM_CALL64);                                       // MsrLStar
        return b.array();
    }
}
