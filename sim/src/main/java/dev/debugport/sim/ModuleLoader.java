package dev.debugport.sim;

import dev.debugport.kernel.DebuggerHooks;
import dev.debugport.kernel.mm.MemoryAccess;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.sim.image.ImageLayout;
import dev.debugport.sim.image.ImageMapper;
import dev.debugport.sim.image.PeHeaders;
import java.util.List;

/**
 * The guest-side loader operations of one thread: LdrLoadDll, LdrUnloadDll, and image-section views mapped without
 * the loader. Each user-mode mapping or unmapping of an image view is reported at NtMapViewOfSection's /
 * NtUnmapViewOfSection's call sites of DbgkMapViewOfSection / DbgkUnMapViewOfSection, and the thread waits until the
 * debugger (if any) continued the event.
 */
final class ModuleLoader {
    private final SimThread thread;

    ModuleLoader(SimThread thread) {
        this.thread = thread;
    }

    private DebuggerHooks hooks() {
        return thread.kernel().debuggerHooks();
    }

    /**
     * Reports a user-mode image mapping by this thread (DbgkMapViewOfSection). When the loader maps, it first stores
     * the address of the module's UTF-16 path at TEB.ArbitraryUserPointer, which is what LOAD_DLL's lpImageName
     * points at, and restores the slot afterwards.
     */
    void reportMap(ImageInfo image, boolean byLoader) {
        EProcess process = thread.thread().process();
        long slot = thread.thread().teb().arbitraryUserPointerAddress();
        long previous = 0;
        if (byLoader) {
            previous = MemoryAccess.readLong(process.memory(), slot).orElse(0);
            MemoryAccess.writeLong(process.memory(), slot, thread.process().nameAddress(image.path()));
        }
        try {
            thread.await(hooks().mapViewOfSection(process, thread.thread(), image, true));
        } finally {
            if (byLoader) {
                MemoryAccess.writeLong(process.memory(), slot, previous);
            }
        }
    }

    /** Reports a user-mode unmapping of an image view by this thread (DbgkUnMapViewOfSection). */
    void reportUnmap(long base) {
        thread.await(hooks().unmapViewOfSection(thread.thread().process(), thread.thread(), base, true));
    }

    /** Implements LdrLoadDll; see {@link GuestApi#loadLibrary}. */
    long loadLibrary(String name) {
        SimProcess sim = thread.process();
        boolean is32 = sim.isWow64();
        String path = ImageLayout.dllPath(name, is32);
        sim.loaderLock.acquire(thread);
        try {
            SimProcess.LoadedModule known = sim.findModule(path, is32);
            if (known != null) {
                if (!known.pinned()) {
                    sim.addModule(known.withLoadCount(known.loadCount() + 1));
                }
                return known.image().base();
            }
            ImageInfo image = mapAnywhere(path, is32);
            if (image == null) {
                return 0;
            }
            reportMap(image, true);
            List<ImageInfo> list = loaderList(is32);
            synchronized (list) {
                list.add(image);
            }
            sim.addModule(new SimProcess.LoadedModule(image, is32, 1));
            return image.base();
        } finally {
            sim.loaderLock.release(thread);
        }
    }

    /** Implements LdrUnloadDll; see {@link GuestApi#freeLibrary}. */
    boolean freeLibrary(long base) {
        SimProcess sim = thread.process();
        sim.loaderLock.acquire(thread);
        try {
            SimProcess.LoadedModule module = sim.module(base);
            if (module == null) {
                return false;
            }
            if (module.pinned()) {
                return true;
            }
            if (module.loadCount() > 1) {
                sim.addModule(module.withLoadCount(module.loadCount() - 1));
                return true;
            }
            List<ImageInfo> list = loaderList(module.in32BitList());
            synchronized (list) {
                list.remove(module.image());
            }
            sim.removeModule(base);
            // The view is still mapped while UNLOAD_DLL is out, so the debugger can read it.
            reportUnmap(base);
            sim.memory().unmap(base, module.image().size());
            return true;
        } finally {
            sim.loaderLock.release(thread);
        }
    }

    /** Implements NtCreateSection(SEC_IMAGE) + NtMapViewOfSection outside the loader. */
    long mapImageSection(String path, int machine) {
        boolean is32 = machine == ImageInfo.MACHINE_I386 || machine == ImageInfo.MACHINE_ARMNT;
        ImageInfo image = mapAnywhere(path, is32);
        if (image == null) {
            return 0;
        }
        thread.process().addImageView(image);
        reportMap(image, false);
        return image.base();
    }

    /**
     * Implements NtUnmapViewOfSection of an image view. Unmapping a loader module this way leaves the loader's lists
     * stale, as it does on Windows.
     */
    boolean unmapView(long base) {
        SimProcess sim = thread.process();
        ImageInfo view = sim.removeImageView(base);
        if (view == null) {
            sim.loaderLock.acquire(thread);
            try {
                SimProcess.LoadedModule module = sim.module(base);
                view = module == null ? null : module.image();
            } finally {
                sim.loaderLock.release(thread);
            }
        }
        if (view == null || !sim.memory().isMapped(base)) {
            return false;
        }
        reportUnmap(base);
        sim.memory().unmap(view.base(), view.size());
        return true;
    }

    private ImageInfo mapAnywhere(String path, boolean is32) {
        SimProcess sim = thread.process();
        ImageInfo image = is32
                ? ImageMapper.mapAnywhere(sim.memory(), path, ImageLayout.DLL_SIZE, true, true, ImageLayout.DLL_REGION_32_START, ImageLayout.DLL_REGION_32_END)
                : ImageMapper.mapAnywhere(sim.memory(), path, ImageLayout.DLL_SIZE, false, true, ImageLayout.DLL_REGION_64_START, ImageLayout.DLL_REGION_64_END);
        if (image != null) {
            thread.platform().files().putIfAbsent(path, PeHeaders.fileContent(image, true));
        }
        return image;
    }

    private List<ImageInfo> loaderList(boolean is32) {
        EProcess process = thread.thread().process();
        return is32 ? process.loaderList32() : process.loaderList();
    }
}
