package dev.debugport.linux.platform;

import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.kernel.ps.ProcessFlags;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.kernel.ps.Teb;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.tracer.TraceEvent;
import dev.debugport.nt.NtStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Threads and processes appearing in a traced process: a clone's new thread, a fork child that inherits its parent's
 * debug port (DbgkCopyProcessDebugPort), the new image of an execve, and the launched process's first thread. Each
 * gets its NT objects and reports its start-up (PspUserThreadStartup: DbgkCreateThread) once it may run. Tracer
 * thread only.
 */
final class ThreadStartup extends PlatformPart {
    private static final System.Logger LOG = System.getLogger(LinuxPlatform.class.getName());

    private final RunControl runControl;
    private final LoaderModules modules;
    private final ProcessDetacher detacher;
    private final ThreadExits exits;

    ThreadStartup(Shared shared, RunControl runControl, LoaderModules modules, ProcessDetacher detacher,
            ThreadExits exits) {
        super(shared);
        this.runControl = runControl;
        this.modules = modules;
        this.detacher = detacher;
        this.exits = exits;
    }

    /** A new thread's first stop (after its creator's clone): it gets a thread object and reports CREATE_THREAD. */
    void onNewThread(LinuxProcess lp, TraceEvent.NewThreadFirstStop n) {
        EProcess process = lp.eprocess;
        LinuxThread t = new LinuxThread(n.tid(), lp);
        t.stopped = true;
        if (process == null || process.hasFlag(ProcessFlags.PROCESS_EXITING)) {
            pt.cont(n.tid(), 0);
            return;
        }
        registers.regsOf(t); // read now: a debugger usually asks for the context at CREATE_THREAD
        long start = images.startAddresses(lp, List.of(t)).get(t);
        NtResult<EThread> r = lp.registerThread(kernel.get().processes(), n.tid(), start);
        if (!r.isSuccess()) {
            pt.cont(n.tid(), 0);
            return;
        }
        EThread e = r.value();
        t.ethread = e;
        e.setPlatformData(t);
        lp.threads.put(t.tid, t);
        runControl.checkQuiesce(lp);
        startup(t, false);
    }

    /**
     * A thread's start-up (PspUserThreadStartup): once it may run for the first time, DbgkCreateThread (CREATE_PROCESS
     * and the system DLL for the first thread, CREATE_THREAD otherwise); it is held until the debugger continued. The
     * first thread of a process without a debug port is let go (detached) instead.
     */
    void startup(LinuxThread t, boolean first) {
        LinuxProcess lp = t.proc;
        EThread e = t.ethread;
        t.holds++;
        e.runState().whenRunnable().thenRunAsync(() -> {
            if (e.waiter().terminating() || lp.state != LinuxProcess.State.BOUND) {
                t.holds--;
                runControl.settle(t);
                return;
            }
            EProcess process = e.process();
            if (first && !runControl.keepsTraced(process)) {
                t.holds--;
                detacher.detachProcess(lp);
                return;
            }
            if (first) {
                modules.plantLoaderBreakpoint(lp);
            }
            Runnable report = () -> kernel.get().processes().threadStartup(e)
                    .whenComplete((v, x) -> calls.run(() -> afterStartup(t, first, x)));
            if (first) {
                report.run();
            } else {
                runControl.quiesceThen(lp, t, report);
            }
        }, tracerExecutor);
    }

    private void afterStartup(LinuxThread t, boolean first, Throwable failure) {
        if (failure != null) {
            LOG.log(System.Logger.Level.WARNING, "thread start-up report failed for " + t, failure);
        }
        LinuxProcess lp = t.proc;
        EProcess process = lp.eprocess;
        if (first && process.debugPort() != null && process.peb() != null) {
            // The process has reported its creation and its loader starts, under a debugger: as LdrpInitializeProcess
            // does then, NtGlobalFlag gets the heap-checking flags.
            process.peb().setDebugHeapFlags();
        }
        if (first && lp.replayModules) {
            lp.replayModules = false;
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            List<ImageInfo> list;
            synchronized (lp.eprocess.loaderList()) {
                list = List.copyOf(lp.eprocess.loaderList());
            }
            for (int i = 2; i < list.size(); i++) {
                ImageInfo image = list.get(i);
                chain = chain.thenComposeAsync(v -> modules.reportMap(lp, t, image, false), tracerExecutor);
            }
            chain.whenComplete((v, x) -> calls.run(() -> {
                t.holds--;
                runControl.settle(t);
            }));
            return;
        }
        t.holds--;
        runControl.settle(t);
    }

    /**
     * A fork/vfork child's first stop. If its parent's debug port is inherited (DbgkCopyProcessDebugPort: the parent
     * is debugged and has no NO_DEBUG_INHERIT, as with DEBUG_PROCESS) it becomes a debugged process on the same object
     * (CREATE_PROCESS with the parent's image, ld.so, then its inherited modules replayed as LOAD_DLL, like a Windows
     * cloned process); otherwise it is detached and runs free.
     */
    void onNewProcess(TraceEvent.NewThreadFirstStop n) {
        int child = n.pid();
        int ppid = Procfs.ppid(child).orElse(-1);
        LinuxProcess parent = processes.get(ppid);
        EProcess parentProcess = parent == null ? null : parent.eprocess;
        EThread creator = parentProcess == null ? null : parentProcess.threads().stream()
                .filter(x -> !x.hasExited()).findFirst().orElse(null);
        LinuxProcess lp = new LinuxProcess(child, LinuxProcess.State.BOUND, false);
        if (parent == null || parent.state != LinuxProcess.State.BOUND || creator == null
                || parentProcess.debugPort() == null || parentProcess.hasFlag(ProcessFlags.NO_DEBUG_INHERIT)) {
            releaseChild(parent, child);
            return;
        }
        EProcess process = new EProcess(child, ppid, parentProcess.image(), ProcessTraits.NATIVE);
        images.bindMemory(lp, process);
        lp.loaderBase = parent.loaderBase;
        lp.rDebug = parent.rDebug;
        lp.rBrk = parent.rBrk;
        lp.vdso = parent.vdso;
        lp.modules.putAll(parent.modules);
        parent.memory.planted().forEach(lp.memory::adopt);
        process.setSystemDlls(parentProcess.systemDlls());
        synchronized (parentProcess.loaderList()) {
            process.loaderList().addAll(parentProcess.loaderList());
        }
        NtStatus s = kernel.get().processes().registerChildProcess(creator, process);
        if (!s.isSuccess() || process.debugPort() == null) {
            kernel.get().clientIds().removeProcess(process);
            lp.memory.removeAll();
            releaseChild(null, child);
            return;
        }
        processes.put(child, lp);
        LinuxThread t = new LinuxThread(child, lp);
        t.stopped = true;
        long entry = process.image() == null ? 0 : process.image().entryPoint();
        NtResult<EThread> r = lp.registerThread(kernel.get().processes(), child, entry);
        if (!r.isSuccess()) {
            pt.cont(child, 0);
            return;
        }
        t.ethread = r.value();
        t.ethread.setPlatformData(t);
        lp.threads.put(child, t);
        lp.replayModules = true;
        startup(t, true);
    }

    /** Lets a child process go untraced (taking the parent's planted bytes out of its copy of the memory first). */
    private void releaseChild(LinuxProcess parent, int child) {
        if (parent != null && parent.memory != null) {
            LinuxMemory copy = new LinuxMemory(child, new ShadowMemory(child), w -> w.getAsInt());
            parent.memory.planted().forEach(copy::adopt);
            copy.removeAll();
        }
        tracer.detach(child);
    }

    /**
     * An execve in a debugged process: the old image ends (its threads exit, EXIT_PROCESS with code 0) and the new
     * image starts as a new process object with the same pid on the same debug object (CREATE_PROCESS, ld.so, its
     * loader's LOAD_DLLs and the loader breakpoint), whatever NO_DEBUG_INHERIT says: it is the same Linux process.
     */
    void onExec(LinuxThread t, TraceEvent.ExecStop x) {
        LinuxProcess lp = t.proc;
        EProcess old = lp.eprocess;
        t.holds++;
        List<CompletableFuture<Void>> others = new ArrayList<>();
        for (LinuxThread o : List.copyOf(lp.threads.values())) {
            if (o == t) {
                continue;
            }
            o.gone = true;
            lp.threads.remove(o.tid);
            others.add(exits.reportExit(o, 0));
        }
        t.exitReported = true;
        CompletableFuture.allOf(others.toArray(CompletableFuture[]::new))
                .thenCompose(v -> t.ethread == null ? CompletableFuture.completedFuture(null) : exits.exitAsync(t.ethread, 0))
                .whenComplete((v, e) -> calls.run(() -> startNewImage(lp, t, old)));
    }

    private void startNewImage(LinuxProcess lp, LinuxThread oldThread, EProcess old) {
        if (lp.state != LinuxProcess.State.BOUND || oldThread.gone) {
            return;
        }
        EProcess process = new EProcess(lp.pid, old.parentPid(), null, ProcessTraits.NATIVE);
        images.bindMemory(lp, process);
        lp.modules.clear();
        images.readImage(lp);
        boolean noInherit = old.hasFlag(ProcessFlags.NO_DEBUG_INHERIT);
        old.clearFlags(ProcessFlags.NO_DEBUG_INHERIT);
        NtStatus s = oldThread.ethread == null ? NtStatus.STATUS_UNSUCCESSFUL
                : kernel.get().processes().registerChildProcess(oldThread.ethread, process);
        if (noInherit) {
            old.setFlags(ProcessFlags.NO_DEBUG_INHERIT);
            process.setFlags(ProcessFlags.NO_DEBUG_INHERIT);
        }
        lp.threads.remove(oldThread.tid);
        LinuxThread t = new LinuxThread(lp.pid, lp);
        t.stopped = true;
        lp.threads.put(t.tid, t);
        if (!s.isSuccess() || !runControl.keepsTraced(process)) {
            kernel.get().clientIds().removeProcess(process);
            detacher.detachProcess(lp);
            return;
        }
        long entry = process.image() == null ? 0 : process.image().entryPoint();
        NtResult<EThread> r = lp.registerThread(kernel.get().processes(), lp.pid, entry);
        if (!r.isSuccess()) {
            detacher.detachProcess(lp);
            return;
        }
        t.ethread = r.value();
        t.ethread.setPlatformData(t);
        lp.wantInitialBreak = true;
        startup(t, true);
    }
}
