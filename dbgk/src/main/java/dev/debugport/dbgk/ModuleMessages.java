package dev.debugport.dbgk;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.mm.MemoryAccess;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.kernel.ps.Teb;
import dev.debugport.nt.DbgkmApiMessage;
import dev.debugport.nt.DbgkmLoadDll;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The LOAD_DLL messages Dbgk makes up rather than receives from a mapping (spec dbgk.md §6.4, §6.5): the system DLLs
 * (ntdll, and a WoW64 process's 32-bit ntdll) and, at attach, the loader's module list bounded by
 * DbgkpMaxModuleMsgs.
 */
final class ModuleMessages {
    /** DbgkSendSystemDllMessages walks slots 0..5 on Windows 10. */
    private static final int SYSTEM_DLL_SLOTS = 6;

    private final Dbgk dbgk;
    private final Kernel kernel;

    ModuleMessages(Dbgk dbgk) {
        this.dbgk = dbgk;
        this.kernel = dbgk.kernel();
    }

    /** The system DLLs DbgkSendSystemDllMessages reports for a process: slot 0, and the WoW64 ntdll's slot. */
    private static List<ImageInfo> reportedSystemDlls(EProcess process) {
        ImageInfo[] slots = process.systemDlls();
        List<ImageInfo> dlls = new ArrayList<>();
        for (int i = 0; i < Math.min(SYSTEM_DLL_SLOTS, slots.length); i++) {
            boolean wanted = i == 0 || process.traits().isWow64_32() && i == process.traits().wow64NtdllSlot();
            if (wanted && slots[i] != null) {
                dlls.add(slots[i]);
            }
        }
        return dlls;
    }

    private DbgkmApiMessage loadDllMessage(ImageInfo image, Handle file, long namePointer) {
        return DbgkmApiMessage.of(new DbgkmLoadDll(file, image.base(), image.debugInfoFileOffset(), image.debugInfoSize(), namePointer));
    }

    /**
     * Implements DbgkSendSystemDllMessages on the attach path: queues a no-wait LOAD_DLL for each system DLL, with
     * {@code thread} as the reporting thread and a null name pointer.
     */
    void queueSystemDlls(EProcess process, EThread thread, DebugObject object, EThread attacher) {
        for (ImageInfo dll : reportedSystemDlls(process)) {
            Handle file = dbgk.imageFiles.openKernelHandle(dll.path());
            NtStatus s = dbgk.queue.queueNoWaitMessage(process, thread, loadDllMessage(dll, file, 0), 0, object, attacher);
            if (!s.isSuccess()) {
                dbgk.imageFiles.closeKernelHandle(file);
            }
        }
    }

    /**
     * Implements DbgkSendSystemDllMessages on the live path (from DbgkCreateThread in a process's first thread):
     * copies the DLL's name into the thread's TEB StaticUnicodeBuffer, points TEB.ArbitraryUserPointer at it so the
     * message's name pointer is valid, and sends each LOAD_DLL with the freeze and the system-DLL marker.
     */
    CompletionStage<Void> sendSystemDlls(EThread thread) {
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (ImageInfo dll : reportedSystemDlls(thread.process())) {
            chain = chain.thenComposeAsync(v -> sendOneSystemDll(thread, dll), kernel.platform().continuationExecutor(thread));
        }
        return chain;
    }

    private CompletionStage<Void> sendOneSystemDll(EThread thread, ImageInfo dll) {
        EProcess process = thread.process();
        Teb teb = thread.teb();
        long namePointer = 0;
        if (teb != null && process.memory() != null) {
            String name = dll.path();
            int maxChars = Teb.STATIC_UNICODE_BUFFER_BYTES / 2 - 1;
            MemoryAccess.writeUtf16z(process.memory(), teb.staticUnicodeBufferAddress(), name.length() > maxChars ? name.substring(0, maxChars) : name);
            MemoryAccess.writeLong(process.memory(), teb.arbitraryUserPointerAddress(), teb.staticUnicodeBufferAddress());
            namePointer = teb.arbitraryUserPointerAddress();
        }
        Handle file = dbgk.imageFiles.openKernelHandle(dll.path());
        DbgkmApiMessage message = loadDllMessage(dll, file, namePointer);
        return dbgk.queue.sendApiMessage(process, thread, message, EventQueue.SEND_FREEZE | EventQueue.SEND_SYSTEM_DLL)
                .thenAccept(result -> {
                    dbgk.imageFiles.closeKernelHandle(result.message().payload().fileHandle());
                    if (teb != null && process.memory() != null) {
                        MemoryAccess.writeLong(process.memory(), teb.arbitraryUserPointerAddress(), 0);
                    }
                });
    }

    /**
     * Implements DbgkpPostModuleMessages (Windows 10): walks the loader list from its head, at most
     * DbgkpMaxModuleMsgs entries, skipping the exe and ntdll (indices 0 and 1, already reported), and queues a
     * no-wait LOAD_DLL with a null name pointer for each, attributed to {@code thread}; then the same for a WoW64
     * process's 32-bit list, with \System32\ rewritten to \SysWOW64\ before the file is opened. A queue failure
     * closes that file handle and the walk goes on.
     */
    void postModuleMessages(EProcess process, EThread thread, DebugObject object, EThread attacher) {
        postList(process, thread, object, attacher, process.loaderList(), false);
        if (process.traits().isWow64_32()) {
            postList(process, thread, object, attacher, process.loaderList32(), true);
        }
    }

    private void postList(EProcess process, EThread thread, DebugObject object, EThread attacher, List<ImageInfo> list, boolean wow64) {
        List<ImageInfo> snapshot;
        synchronized (list) {
            snapshot = List.copyOf(list.subList(0, Math.min(list.size(), Dbgk.MAX_MODULE_MESSAGES)));
        }
        for (int index = 2; index < snapshot.size(); index++) {
            ImageInfo module = snapshot.get(index);
            String path = wow64 ? toSysWow64(module.path()) : module.path();
            Handle file = dbgk.imageFiles.openKernelHandle(path);
            NtStatus s = dbgk.queue.queueNoWaitMessage(process, thread, loadDllMessage(module, file, 0), 0, object, attacher);
            if (!s.isSuccess()) {
                dbgk.imageFiles.closeKernelHandle(file);
            }
        }
    }

    private static String toSysWow64(String path) {
        int at = path.toLowerCase(java.util.Locale.ROOT).indexOf("\\system32\\");
        return at < 0 ? path : path.substring(0, at) + "\\SysWOW64\\" + path.substring(at + "\\system32\\".length());
    }
}
