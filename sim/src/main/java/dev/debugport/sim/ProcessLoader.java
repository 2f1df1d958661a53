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
 * The sim's loader lists are filled when the address space is built (so an attach finds them at once); a debugger
 * that attaches to a CREATE_SUSPENDED process before its loader ran therefore sees these DLLs twice (fake and live),
 * which Windows, whose PEB.Ldr is still empty then, does not.
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
            setDebugHeapFlags(peb);
            Peb peb32 = process.peb32();
            if (peb32 != null) {
                setDebugHeapFlags(peb32);
            }
        }
        ModuleLoader loader = new ModuleLoader(thread);
        reportStaticModules(loader, process.loaderList());
        reportStaticModules(loader, process.loaderList32());
        guest.safePoint();
        if (peb != null && peb.beingDebugged()) {
            initialBreakpoint();
        }
        guest.point(SimMachine.LOADER_DONE_POINT);
    }

    private static void setDebugHeapFlags(Peb peb) {
        long flags = peb.ntGlobalFlag().orElse(0);
        peb.setNtGlobalFlag((int) flags | Peb.DEBUGGED_GLOBAL_FLAGS);
    }

    private void reportStaticModules(ModuleLoader loader, List<ImageInfo> list) {
        List<ImageInfo> snapshot;
        synchronized (list) {
            snapshot = List.copyOf(list);
        }
        // Index 0 is the exe and index 1 ntdll: both are mapped by the kernel (no event) or reported by Dbgk.
        for (ImageInfo dll : snapshot.subList(Math.min(2, snapshot.size()), snapshot.size())) {
            guest.safePoint();
            loader.reportMap(dll, true);
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
