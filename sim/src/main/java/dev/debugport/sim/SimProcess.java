package dev.debugport.sim;

import dev.debugport.kernel.mm.MemoryAccess;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.kernel.ps.Peb;
import dev.debugport.sim.image.ImageLayout;
import dev.debugport.sim.image.SimNtdll;
import dev.debugport.sim.memory.PageProtection;
import dev.debugport.sim.memory.SimMemory;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The platform's side of one process ({@link EProcess#platformData()}): its page map, the program it runs, the
 * loader's module bookkeeping (load counts), image views mapped without the loader, vectored handlers, and the
 * addresses handed out for TEBs, stacks, thread start routines and allocations.
 */
public final class SimProcess {
    /** A loader module: its image, which loader list holds it, its load count (-1: pinned static import). */
    record LoadedModule(ImageInfo image, boolean in32BitList, int loadCount) {
        LoadedModule withLoadCount(int count) {
            return new LoadedModule(image, in32BitList, count);
        }

        boolean pinned() {
            return loadCount < 0;
        }
    }

    private final EProcess process;
    private final SimProgram program;
    private final SimMemory memory;
    private final boolean wow64;
    private final ImageInfo ntdll;
    private final ImageInfo ntdll32;

    /** LdrpLoaderLock: serialises loads and unloads. Held across the LOAD_DLL / UNLOAD_DLL report. */
    final LoaderLock loaderLock = new LoaderLock();
    private final Map<Long, LoadedModule> modules = new HashMap<>();
    private final Map<Long, ImageInfo> imageViews = new HashMap<>();
    private final List<GuestHandler> vectoredHandlers = new CopyOnWriteArrayList<>();
    private final Map<GuestCode, Long> startAddresses = new IdentityHashMap<>();
    private final Map<Long, GuestCode> codeByAddress = new HashMap<>();
    private final Map<Long, Long> allocations = new HashMap<>();
    private final Map<String, Long> nameStrings = new HashMap<>();
    private volatile List<ImageInfo> plannedModules = List.of();
    private volatile List<ImageInfo> plannedModules32 = List.of();
    private long nameHeapNext;
    private long nameHeapEnd;
    private int tebCount;

    SimProcess(EProcess process, SimProgram program, SimMemory memory, ImageInfo ntdll, ImageInfo ntdll32) {
        this.process = process;
        this.program = program;
        this.memory = memory;
        this.wow64 = process.traits().isWow64_32();
        this.ntdll = ntdll;
        this.ntdll32 = ntdll32;
    }

    public EProcess process() {
        return process;
    }

    public SimProgram program() {
        return program;
    }

    public SimMemory memory() {
        return memory;
    }

    /** Whether the program is 32-bit code under WoW64. */
    public boolean isWow64() {
        return wow64;
    }

    /** Whether the process's threads are host threads (no guest code). */
    public boolean isHost() {
        return program.isHost();
    }

    /** The native ntdll view. */
    /**
     * The static modules the process-initialisation loader will enter into PEB.Ldr, in load order (exe, ntdll, then
     * the rest): mapped when the address space is built, listed only when the loader runs.
     */
    List<ImageInfo> plannedModules(boolean is32) {
        return is32 ? plannedModules32 : plannedModules;
    }

    void setPlannedModules(List<ImageInfo> native64, List<ImageInfo> list32) {
        this.plannedModules = List.copyOf(native64);
        this.plannedModules32 = List.copyOf(list32);
    }

    public ImageInfo ntdll() {
        return ntdll;
    }

    /** The 32-bit ntdll view of a WoW64 process, else null. */
    public ImageInfo ntdll32() {
        return ntdll32;
    }

    /** The PEB the program's own code reads (PEB32 for 32-bit WoW64 code, where IsDebuggerPresent looks). */
    public Peb programPeb() {
        return wow64 ? process.peb32() : process.peb();
    }

    /** Image views mapped with {@link GuestApi#mapImageSection} and not yet unmapped. */
    public List<ImageInfo> imageViews() {
        synchronized (imageViews) {
            return List.copyOf(imageViews.values());
        }
    }

    /** An ntdll export's address (0 if the sim ntdll has none of that name). */
    public long ntdllRoutine(String export) {
        return SimNtdll.address(ntdll.base(), export);
    }

    /** The exe address Java-level guest faults are reported at. */
    long guestCodeAddress() {
        return process.image().base() + ImageLayout.GUEST_CODE_RVA;
    }

    /** The ExceptionAddress of RtlRaiseException (the caller's return address). */
    long raiseReturnAddress() {
        return process.image().base() + ImageLayout.RAISE_RETURN_RVA;
    }

    List<GuestHandler> vectoredHandlers() {
        return vectoredHandlers;
    }

    /** Implements MmCreateTeb's placement: TEBs go down from {@link ImageLayout#TEB_TOP}, two pages each. */
    synchronized long allocateTeb() {
        long teb = ImageLayout.TEB_TOP - (long) (++tebCount) * ImageLayout.TEB_SIZE;
        if (!memory.map(teb, ImageLayout.TEB_SIZE, PageProtection.PAGE_READWRITE)) {
            return 0;
        }
        return teb;
    }

    /**
     * The start address of a guest thread routine: one distinct address in the exe per routine object, so threads
     * running the same routine share it (as threads of one function do on Windows).
     */
    synchronized long startAddressFor(GuestCode body) {
        Long known = startAddresses.get(body);
        if (known != null) {
            return known;
        }
        long address = process.image().base() + ImageLayout.THREAD_START_RVA
                + (long) startAddresses.size() * ImageLayout.THREAD_START_SLOT;
        startAddresses.put(body, address);
        codeByAddress.put(address, body);
        return address;
    }

    /** The guest routine registered at a start address (for threads created remotely at that address), or null. */
    synchronized GuestCode codeAt(long address) {
        return codeByAddress.get(address);
    }

    /**
     * Implements NtAllocateVirtualMemory(MEM_RESERVE|MEM_COMMIT) at no particular base.
     *
     * @return the base, or 0 if the protection is invalid, the size is not positive or the region is full
     */
    synchronized long allocate(long size, int protection) {
        if (size <= 0 || !PageProtection.isValid(protection)) {
            return 0;
        }
        long base = memory.mapAnywhere(ImageLayout.ALLOCATION_REGION_START, ImageLayout.ALLOCATION_REGION_END,
                size, ImageLayout.ALLOCATION_GRANULARITY, protection);
        if (base != 0) {
            allocations.put(base, SimMemory.pageRound(size));
        }
        return base;
    }

    /** Implements NtFreeVirtualMemory(MEM_RELEASE) of a whole allocation. */
    synchronized boolean free(long base) {
        Long size = allocations.remove(base);
        if (size == null) {
            return false;
        }
        memory.unmap(base, size);
        return true;
    }

    /**
     * The address of the UTF-16 copy of a module path in the loader's heap (the FullDllName buffer of its loader
     * entry), written once per path. The loader stores this address in TEB.ArbitraryUserPointer while mapping.
     */
    synchronized long nameAddress(String path) {
        String key = path.toLowerCase(Locale.ROOT);
        Long known = nameStrings.get(key);
        if (known != null) {
            return known;
        }
        int bytes = (path.length() + 1) * 2;
        if (nameHeapNext == 0 || nameHeapNext + bytes > nameHeapEnd) {
            long chunk = Math.max(ImageLayout.ALLOCATION_GRANULARITY, SimMemory.pageRound(bytes));
            long base = allocate(chunk, PageProtection.PAGE_READWRITE);
            if (base == 0) {
                return 0;
            }
            nameHeapNext = base;
            nameHeapEnd = base + chunk;
        }
        long at = nameHeapNext;
        MemoryAccess.writeUtf16z(memory, at, path);
        nameHeapNext = (at + bytes + 7) & ~7L;
        nameStrings.put(key, at);
        return at;
    }

    // ---- loader bookkeeping (callers hold loaderLock, or no thread exists yet) ----

    void addModule(LoadedModule module) {
        modules.put(module.image().base(), module);
    }

    LoadedModule module(long base) {
        return modules.get(base);
    }

    void removeModule(long base) {
        modules.remove(base);
    }

    /** The loaded module whose path matches (case-insensitively) and that lives in the given list, or null. */
    LoadedModule findModule(String path, boolean in32BitList) {
        for (LoadedModule m : modules.values()) {
            if (m.in32BitList() == in32BitList && m.image().path().equalsIgnoreCase(path)) {
                return m;
            }
        }
        return null;
    }

    void addImageView(ImageInfo view) {
        synchronized (imageViews) {
            imageViews.put(view.base(), view);
        }
    }

    ImageInfo removeImageView(long base) {
        synchronized (imageViews) {
            return imageViews.remove(base);
        }
    }

    @Override
    public String toString() {
        return "SimProcess[" + process + "]";
    }
}
