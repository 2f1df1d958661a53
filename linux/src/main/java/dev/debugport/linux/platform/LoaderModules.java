package dev.debugport.linux.platform;

import dev.debugport.kernel.mm.MemoryAccess;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.kernel.ps.Teb;
import dev.debugport.linux.ptrace.UserRegs;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.NtStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Module tracking through ld.so's r_debug: the int3 on r_brk (_dl_debug_state), and at each hit the link map compared
 * with what was reported, giving LOAD_DLL (DbgkMapViewOfSection) and UNLOAD_DLL (DbgkUnMapViewOfSection), and the
 * loader breakpoint of a launched process. Tracer thread only.
 */
final class LoaderModules extends PlatformPart {
    private static final System.Logger LOG = System.getLogger(LinuxPlatform.class.getName());
    private static final int RT_CONSISTENT = 0;

    private final RunControl runControl;
    private final SignalDispatch signals;

    LoaderModules(Shared shared, RunControl runControl, SignalDispatch signals) {
        super(shared);
        this.runControl = runControl;
        this.signals = signals;
    }

    /** Plants the int3 on r_brk (_dl_debug_state, whose body is a lone {@code ret}: a hit is stepped over by emulating it). */
    void plantLoaderBreakpoint(LinuxProcess lp) {
        if (lp.rBrk == 0 || lp.memory.isPlanted(lp.rBrk)) {
            return;
        }
        byte[] code = new byte[5];
        int n = lp.memory.readRaw(lp.rBrk, code, 0, code.length);
        boolean plainRet = n >= 1 && code[0] == (byte) 0xC3;
        boolean endbrRet = n >= 5 && code[0] == (byte) 0xF3 && code[1] == 0x0F && code[2] == 0x1E && code[3] == (byte) 0xFA
                && code[4] == (byte) 0xC3;
        if (!plainRet && !endbrRet) {
            LOG.log(System.Logger.Level.WARNING, "ld.so's _dl_debug_state of " + lp.pid + " is not a bare ret; no LOAD_DLL at run time");
            return;
        }
        if (!lp.memory.plant(lp.rBrk)) {
            LOG.log(System.Logger.Level.WARNING, "cannot plant the r_brk breakpoint in " + lp.pid);
        }
    }

    /**
     * The loader stopped on r_brk: at a consistent state the link_map is compared with what was reported:
     * UNLOAD_DLL for what went, LOAD_DLL for what came (with the mapping thread's TEB pointing at the path, as the
     * NT loader does), then, the first time in a launched process, the loader breakpoint. Then {@code ret} is
     * emulated and the thread goes on.
     */
    void onLoaderBreakpoint(LinuxThread t) {
        LinuxProcess lp = t.proc;
        EProcess process = lp.eprocess;
        t.holds++;
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        // r_debug.r_state; lp.memory hides planted int3s, none of which is in ld.so's data.
        long state = MemoryAccess.readInt(lp.memory, lp.rDebug + 24).orElse(-1);
        if (state == RT_CONSISTENT && runControl.keepsTraced(process)) {
            Map<Long, ImageInfo> now = images.readLinkMap(lp);
            List<Long> removed = new ArrayList<>();
            for (Long base : lp.modules.keySet()) {
                if (!now.containsKey(base)) {
                    removed.add(base);
                }
            }
            List<Map.Entry<Long, ImageInfo>> added = new ArrayList<>();
            for (Map.Entry<Long, ImageInfo> e : now.entrySet()) {
                if (!lp.modules.containsKey(e.getKey())) {
                    added.add(e);
                }
            }
            boolean initial = lp.wantInitialBreak && process.debugPort() != null; // ntdll breaks only when BeingDebugged
            lp.wantInitialBreak = false;
            if (!removed.isEmpty() || !added.isEmpty() || initial) {
                CompletableFuture<Void> quiet = new CompletableFuture<>();
                runControl.quiesceThen(lp, t, () -> quiet.complete(null));
                chain = quiet;
                for (long lAddr : removed) {
                    chain = chain.thenComposeAsync(v -> reportUnmap(lp, t, lAddr), tracerExecutor);
                }
                for (Map.Entry<Long, ImageInfo> e : added) {
                    chain = chain.thenComposeAsync(v -> {
                        lp.modules.put(e.getKey(), e.getValue());
                        return reportMap(lp, t, e.getValue(), true);
                    }, tracerExecutor);
                }
                if (initial) {
                    chain = chain.thenComposeAsync(v -> {
                        t.holds++;
                        return signals.dispatch(t, ExceptionRecord.of(NtStatus.STATUS_BREAKPOINT.value(), lp.rBrk), 0, null, true);
                    }, tracerExecutor);
                }
            }
        } else if (state == RT_CONSISTENT) {
            lp.modules.clear();
            lp.modules.putAll(images.readLinkMap(lp));
        }
        chain.whenComplete((v, x) -> calls.run(() -> {
            if (x != null) {
                LOG.log(System.Logger.Level.WARNING, "module report failed in " + lp.pid, x);
            }
            emulateReturn(t);
            t.holds--;
            runControl.settle(t);
        }));
    }

    private void emulateReturn(LinuxThread t) {
        LinuxProcess lp = t.proc;
        if (t.gone || !t.stopped) {
            return;
        }
        UserRegs regs = registers.regsOf(t);
        if (regs == null || regs.rip() != lp.rBrk + 1) {
            return; // the debugger moved it: its choice
        }
        long ret = MemoryAccess.readLong(lp.memory, regs.rsp()).orElse(0);
        UserRegs after = regs.withRip(ret).withRsp(regs.rsp() + 8);
        if (pt.setRegs(t.tid, after).isOk()) {
            ThreadRegisters.noteRegs(t, after);
        }
    }

    /** LOAD_DLL through DbgkMapViewOfSection, the loader's way: TEB.ArbitraryUserPointer points at the path. */
    CompletableFuture<Void> reportMap(LinuxProcess lp, LinuxThread t, ImageInfo image, boolean addToList) {
        EProcess process = lp.eprocess;
        EThread e = t.ethread;
        if (addToList) {
            synchronized (process.loaderList()) {
                process.loaderList().add(image);
            }
        }
        Teb teb = e.teb();
        if (teb != null) {
            String path = image.path();
            int max = Teb.STATIC_UNICODE_BUFFER_BYTES / 2 - 1;
            MemoryAccess.writeUtf16z(lp.memory, teb.staticUnicodeBufferAddress(), path.length() > max ? path.substring(0, max) : path);
            MemoryAccess.writeLong(lp.memory, teb.arbitraryUserPointerAddress(), teb.staticUnicodeBufferAddress());
        }
        return kernel.get().debuggerHooks().mapViewOfSection(process, e, image, true).toCompletableFuture()
                .handle((v, x) -> {
                    if (teb != null) {
                        MemoryAccess.writeLong(lp.memory, teb.arbitraryUserPointerAddress(), 0);
                    }
                    return null;
                });
    }

    private CompletableFuture<Void> reportUnmap(LinuxProcess lp, LinuxThread t, long lAddr) {
        ImageInfo image = lp.modules.remove(lAddr);
        if (image == null) {
            return CompletableFuture.completedFuture(null);
        }
        EProcess process = lp.eprocess;
        synchronized (process.loaderList()) {
            process.loaderList().removeIf(m -> m.base() == image.base() && m.path().equals(image.path()));
        }
        return kernel.get().debuggerHooks().unmapViewOfSection(process, t.ethread, image.base(), true).toCompletableFuture()
                .handle((v, x) -> null);
    }

    /** At attach: the modules already loaded become the loader list (after the exe and ld.so). */
    void loadModuleList(LinuxProcess lp) {
        lp.modules.clear();
        lp.modules.putAll(images.readLinkMap(lp));
        EProcess process = lp.eprocess;
        synchronized (process.loaderList()) {
            process.loaderList().addAll(lp.modules.values());
        }
        plantLoaderBreakpoint(lp);
    }
}
