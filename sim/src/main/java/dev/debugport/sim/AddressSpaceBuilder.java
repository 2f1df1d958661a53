package dev.debugport.sim;

import dev.debugport.kernel.mm.MemoryAccess;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.image.ImageLayout;
import dev.debugport.sim.image.ImageMapper;
import dev.debugport.sim.image.PeHeaders;
import dev.debugport.sim.image.SimNtdll;
import dev.debugport.sim.memory.PageProtection;
import dev.debugport.sim.memory.SimMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a new process's address space (the platform half of PspCreateProcess / MmInitializeProcessAddressSpace and
 * of the loader data that LdrpInitializeProcess sets up): maps the exe and ntdll (and for WoW64 the 32-bit ntdll),
 * creates the PEB (and PEB32), and fills the loader lists in load order. These mappings are kernel-mode, so none of
 * them is reported to a debugger here; the initial thread's loader reports the user-mode ones ({@link ProcessLoader}).
 */
final class AddressSpaceBuilder {
    /** PEB.ImageBaseAddress (+0x10 in the 64-bit PEB, +0x8 in PEB32). */
    private static final int PEB_IMAGE_BASE_64 = 0x10;
    private static final int PEB32_IMAGE_BASE = 0x8;

    private final SimFileSystem files;

    AddressSpaceBuilder(SimFileSystem files) {
        this.files = files;
    }

    /** Implements the platform half of process creation for {@code program}; sets the process's memory, PEB, image, system DLLs and loader lists. */
    NtStatus build(EProcess process, SimProgram program) {
        SimMemory memory = new SimMemory();
        boolean wow64 = process.traits().isWow64_32();

        ImageInfo exe = ImageLayout.exeImage(program.name(), wow64);
        ImageInfo ntdll = ImageLayout.ntdll();
        ImageInfo ntdll32 = wow64 ? ImageLayout.ntdll32() : null;
        List<ImageInfo> native64 = new ArrayList<>(List.of(exe, ntdll));
        List<ImageInfo> list32 = new ArrayList<>();
        if (wow64) {
            native64.add(ImageLayout.image(ImageLayout.SYSTEM32 + "wow64.dll", ImageLayout.WOW64_BASE, ImageLayout.WOW64_DLL_SIZE, false));
            native64.add(ImageLayout.image(ImageLayout.SYSTEM32 + "wow64win.dll", ImageLayout.WOW64WIN_BASE, ImageLayout.WOW64_DLL_SIZE, false));
            native64.add(ImageLayout.image(ImageLayout.SYSTEM32 + "wow64cpu.dll", ImageLayout.WOW64CPU_BASE, ImageLayout.WOW64_DLL_SIZE, false));
            list32.add(exe);
            list32.add(ntdll32);
            list32.add(ImageLayout.image(ImageLayout.SYSWOW64 + "kernel32.dll", ImageLayout.KERNEL32_32_BASE, ImageLayout.KERNEL32_32_SIZE, true));
            list32.add(ImageLayout.image(ImageLayout.SYSWOW64 + "KernelBase.dll", ImageLayout.KERNELBASE_32_BASE, ImageLayout.KERNELBASE_32_SIZE, true));
        } else {
            native64.add(ImageLayout.image(ImageLayout.SYSTEM32 + "kernel32.dll", ImageLayout.KERNEL32_BASE, ImageLayout.KERNEL32_SIZE, false));
            native64.add(ImageLayout.image(ImageLayout.SYSTEM32 + "KernelBase.dll", ImageLayout.KERNELBASE_BASE, ImageLayout.KERNELBASE_SIZE, false));
        }
        for (ImageInfo fixed : native64) {
            if (!mapImage(memory, fixed, fixed != exe)) {
                return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
            }
        }
        for (ImageInfo fixed : list32) {
            if (fixed != exe && !mapImage(memory, fixed, true)) {
                return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
            }
        }
        SimNtdll.install(memory, ntdll.base());
        if (ntdll32 != null) {
            SimNtdll.install(memory, ntdll32.base());
        }

        // Static imports go where 32-bit or 64-bit code of this program can use them.
        List<ImageInfo> importList = wow64 ? list32 : native64;
        for (String name : program.imports()) {
            String path = ImageLayout.dllPath(name, wow64);
            if (importList.stream().anyMatch(i -> i.path().equalsIgnoreCase(path))) {
                continue;
            }
            ImageInfo dll = wow64
                    ? ImageMapper.mapAnywhere(memory, path, ImageLayout.DLL_SIZE, true, true, ImageLayout.DLL_REGION_32_START, ImageLayout.DLL_REGION_32_END)
                    : ImageMapper.mapAnywhere(memory, path, ImageLayout.DLL_SIZE, false, true, ImageLayout.DLL_REGION_64_START, ImageLayout.DLL_REGION_64_END);
            if (dll == null) {
                return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
            }
            files.putIfAbsent(path, PeHeaders.fileContent(dll, true));
            importList.add(dll);
        }

        if (!memory.map(ImageLayout.PEB_ADDRESS, SimMemory.PAGE_SIZE, PageProtection.PAGE_READWRITE)) {
            return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
        }
        MemoryAccess.writeLong(memory, ImageLayout.PEB_ADDRESS + PEB_IMAGE_BASE_64, exe.base());
        long peb32 = 0;
        if (wow64) {
            peb32 = ImageLayout.PEB32_ADDRESS;
            if (!memory.map(peb32, SimMemory.PAGE_SIZE, PageProtection.PAGE_READWRITE)) {
                return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
            }
            byte[] base32 = {(byte) exe.base(), (byte) (exe.base() >> 8), (byte) (exe.base() >> 16), (byte) (exe.base() >> 24)};
            memory.write(peb32 + PEB32_IMAGE_BASE, base32, 0, 4);
        }

        process.setMemory(memory);
        process.setPebAddresses(ImageLayout.PEB_ADDRESS, peb32);
        process.setImage(exe);
        process.setSystemDlls(systemDlls(process, ntdll, ntdll32));
        SimProcess sim = new SimProcess(process, program, memory, ntdll, ntdll32);
        sim.setPlannedModules(native64, list32);
        if (program.isHost()) {
            // A host process stands for a program that is already running: its loader has long filled PEB.Ldr.
            // A guest's loader lists stay empty until its loader runs (ProcessLoader), as PEB.Ldr does on Windows.
            synchronized (process.loaderList()) {
                process.loaderList().addAll(native64);
            }
            synchronized (process.loaderList32()) {
                process.loaderList32().addAll(list32);
            }
        }
        // No thread exists yet, so the loader lock is not needed. Static modules are pinned: FreeLibrary never
        // unloads them.
        for (ImageInfo m : native64.subList(1, native64.size())) {
            sim.addModule(new SimProcess.LoadedModule(m, false, -1));
        }
        for (ImageInfo m : list32.isEmpty() ? List.<ImageInfo>of() : list32.subList(1, list32.size())) {
            sim.addModule(new SimProcess.LoadedModule(m, true, -1));
        }
        process.setPlatformData(sim);
        return NtStatus.STATUS_SUCCESS;
    }

    private boolean mapImage(SimMemory memory, ImageInfo image, boolean dll) {
        if (!ImageMapper.map(memory, image, dll)) {
            return false;
        }
        files.putIfAbsent(image.path(), PeHeaders.fileContent(image, dll));
        return true;
    }

    /** PsQuerySystemDllInfo's slots: 0 the native ntdll, the WoW64 slot the 32-bit ntdll. */
    private static ImageInfo[] systemDlls(EProcess process, ImageInfo ntdll, ImageInfo ntdll32) {
        if (ntdll32 == null) {
            return new ImageInfo[] {ntdll};
        }
        int slot = Math.max(1, process.traits().wow64NtdllSlot());
        ImageInfo[] slots = new ImageInfo[slot + 1];
        slots[0] = ntdll;
        slots[slot] = ntdll32;
        return slots;
    }
}
