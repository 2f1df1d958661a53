package dev.debugport.sim;

import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.kernel.ps.Peb;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.image.SimNtdll;
import java.util.List;

/**
 * The process-initialisation part of the user-mode loader (LdrpInitializeProcess), run by the initial thread after
 * its creation was reported and before the program's main:
 * <ol>
 * <li>if the PEB already says a debugger is present (the process was created under one), set NtGlobalFlag's heap
 *     debugging flags (0x70) — which is why anti-debug code finds them only in processes launched by a debugger;</li>
 * <li>"map" the DLLs after exe and ntdll in the loader lists: these are user-mode mappings on Windows, so each is
 *     reported (LOAD_DLL with the TEB.ArbitraryUserPointer name pointer), the native list first, then WoW64's;</li>
 * <li>if a debugger is present now, break in: LdrpDoDebuggerBreak's int3 inside a catch-all handler (continuing it
 *     with DBG_EXCEPTION_NOT_HANDLED does not kill the process); a WoW64 process then also raises
 *     STATUS_WX86_BREAKPOINT from its 32-bit ntdll.</li>
 * </ol>
 * The loader lists (PEB.Ldr) are empty until this runs, so a debugger that attaches to a CREATE_SUSPENDED process
 * before its loader ran gets no fake module messages (only Dbgk's system DLL) and then the loader's live ones.
 */
final class ProcessLoader {
    private final SimThread thread;
    private final GuestApi guest;

    ProcessLoader(SimThread thread, GuestApi guest) {
        this.thread = thread;
        this.guest = guest;
    }

    void run() {
        EProcess process = thread.thread().process();
        Peb peb = process.peb();
        if (peb != null && peb.beingDebugged()) {
            peb.setDebugHeapFlags();
            Peb peb32 = process.peb32();
            if (peb32 != null) {
                peb32.setDebugHeapFlags();
            }
        }
        ModuleLoader loader = new ModuleLoader(thread);
        loadStaticModules(loader, thread.process().plannedModules(false), process.loaderList());
        loadStaticModules(loader, thread.process().plannedModules(true), process.loaderList32());
        guest.safePoint();
        if (peb != null && peb.beingDebugged()) {
            initialBreakpoint();
        }
        guest.point(SimMachine.LOADER_DONE_POINT);
    }

    /**
     * Enters the exe and ntdll into the loader list (the kernel mapped them: no event; Dbgk reports ntdll itself),
     * then "maps" each further static DLL — a reported user-mode mapping — and enters it after its mapping, as
     * LdrpLoadDll does.
     */
    private void loadStaticModules(ModuleLoader loader, List<ImageInfo> planned, List<ImageInfo> loaderList) {
        int kernelMapped = Math.min(2, planned.size());
        synchronized (loaderList) {
            loaderList.addAll(planned.subList(0, kernelMapped));
        }
        for (ImageInfo dll : planned.subList(kernelMapped, planned.size())) {
            guest.safePoint();
            loader.reportMap(dll, true);
            synchronized (loaderList) {
                loaderList.add(dll);
            }
        }
    }

    /** Implements LdrpDoDebuggerBreak: int3 guarded by {@code __except(EXCEPTION_EXECUTE_HANDLER)}. */
    private void initialBreakpoint() {
        long routine = thread.process().ntdllRoutine(SimNtdll.LDRP_DO_DEBUGGER_BREAK);
        guest.tryExcept(g -> g.execute(routine, 8), GuestHandler.EXECUTE_HANDLER);
        ImageInfo ntdll32 = thread.process().ntdll32();
        if (ntdll32 != null) {
            long at = SimNtdll.address(ntdll32.base(), SimNtdll.LDRP_DO_DEBUGGER_BREAK) + SimNtdll.INITIAL_BREAKPOINT_OFFSET;
            ExceptionRecord record = ExceptionRecord.of(NtStatus.STATUS_WX86_BREAKPOINT.value(), at, 0);
            thread.exceptions().raise(record, thread.context().withRip(at + 1), GuestHandler.EXECUTE_HANDLER);
        }
    }
}
