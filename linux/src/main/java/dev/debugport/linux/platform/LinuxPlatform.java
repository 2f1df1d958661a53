package dev.debugport.linux.platform;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.Platform;
import dev.debugport.kernel.io.FileObject;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessFlags;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.kernel.ps.Teb;
import dev.debugport.linux.ptrace.Errno;
import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.Ptrace;
import dev.debugport.linux.ptrace.PtraceConstants;
import dev.debugport.linux.ptrace.Spawner;
import dev.debugport.linux.ptrace.SysResult;
import dev.debugport.linux.ptrace.UserRegs;
import dev.debugport.linux.ptrace.WaitStatus;
import dev.debugport.linux.tracer.Attached;
import dev.debugport.linux.tracer.LaunchOptions;
import dev.debugport.linux.tracer.Launched;
import dev.debugport.linux.tracer.TraceEvent;
import dev.debugport.linux.tracer.Tracer;
import dev.debugport.linux.tracer.TracerOptions;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.NtStatus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Linux platform: real processes, driven through ptrace by one {@link Tracer} thread, presented to the NT machine
 * as processes and threads. The Dbgk engine, DbgUi and the Win32 API run on it unchanged. See the package
 * documentation for the event mapping; this comment is about how the platform runs.
 *
 * <h2>Threads</h2>
 * Every ptrace call is made on the tracer thread, and so is every change to the platform's own state
 * ({@link LinuxProcess}, {@link LinuxThread}). Trace events arrive there; Platform calls made on other threads (a
 * debugger's SuspendThread, GetThreadContext of a running thread, the run-state changes a continue causes) are handed
 * to it, without blocking when they need no answer. Each hand-off wakes the tracer (tens of microseconds), so the
 * calls a debugger makes at every breakpoint avoid it: GetThreadContext answers from the registers read at the stop,
 * SetThreadContext at a stop replaces them for the tracer to write at the resume
 * ({@link ThreadRegisters#setContextAtStop}), and memory is read and written from the calling thread
 * ({@link LinuxMemory}). The continuation executor of every debuggee thread is the tracer, so the steps that follow
 * a debugger's continue run there too. The tracer never blocks: PspExitThread (which may wait for an
 * attach holding a thread's rundown protection) is called on a virtual thread.
 *
 * <h2>Holds and all-stop</h2>
 * A thread that reports an event (an exception, its creation, its exit, a module load) stays in its ptrace-stop:
 * it is <i>held</i> until the completion of the kernel call fires (the debugger continued), then resumed if the
 * kernel's run state allows (no suspension, no process freeze). Other reasons to keep a thread stopped work the same
 * way: the kernel's run state is the rule, holds are the platform's own, and {@link RunControl#settle} makes each thread
 * follow both (PTRACE_INTERRUPT a thread that must stop, PTRACE_CONT one that may run). Before an event that freezes
 * the process is handed to Dbgk, every other thread is brought to a stop (a <i>quiesce</i>), so the process is
 * all-stopped by the time the debugger sees the event; Dbgk's freeze then keeps it so until the continue.
 *
 * <h2>Ids</h2>
 * Process and thread ids are the real pids and tids ({@link #createProcessId}, {@link #createThreadId}); the
 * JVM's own pid is the debugger's host process ({@link #createHostThread}), so attaching to it is attaching to
 * oneself. Processes the machine did not start are given a process object on first NtOpenProcess
 * ({@link #lookupProcess}).
 *
 * <h2>Parts</h2>
 * This class keeps the Platform calls and routes trace events; the work is done by package-private classes. The
 * parts that work on the tracer thread extend {@link PlatformPart} and are given its tracer, process table, kernel
 * and shared helpers in one {@link PlatformPart.Shared}: {@link RunControl} (settle, quiesce, terminate),
 * {@link ThreadStartup} (threads and processes appearing), {@link SignalDispatch} (signals as NT exceptions),
 * {@link LoaderModules} (r_debug, LOAD_DLL and UNLOAD_DLL), {@link ThreadExits} (threads and processes ending) and
 * {@link ProcessDetacher} (detach). The helpers they share are {@link TracerCalls} (hand-offs to the tracer thread),
 * {@link ThreadRegisters} (registers and CONTEXT) and {@link ProcessImages} (images, auxiliary vector, TEBs).
 */
public final class LinuxPlatform implements Platform, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LinuxPlatform.class.getName());
    /** Host thread ids that clash with a real one are taken from here (above any pid_max). */
    private static final AtomicLong SYNTHETIC_TIDS = new AtomicLong(0x4000_0000L);

    private final Tracer tracer;
    private final Ptrace pt;
    private final Executor tracerExecutor;
    private final ExecutorService offTracer = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("linux-kernel-", 0).factory());
    private final Map<Integer, LinuxProcess> processes = new ConcurrentHashMap<>();
    private final Map<Integer, WaitStatus> endings = new ConcurrentHashMap<>();
    private final int jvmPid = Posix.getpid();
    private final TracerCalls calls;
    private final ThreadRegisters registers;
    private final ProcessImages images;
    private final RunControl runControl;
    private final SignalDispatch signals;
    private final LoaderModules modules;
    private final ProcessDetacher detacher;
    private final ThreadExits exits;
    private final ThreadStartup startups;
    private volatile Kernel kernel;
    private volatile EProcess hostProcess;

    /** A platform with its own tracer thread (closing the platform kills what it launched and detaches the rest). */
    public LinuxPlatform() {
        this(TracerOptions.defaults());
    }

    public LinuxPlatform(TracerOptions options) {
        this.tracer = Tracer.start(this::onEvent, options);
        this.pt = tracer.ptrace();
        this.tracerExecutor = tracer.executor();
        this.calls = new TracerCalls(tracer);
        this.registers = new ThreadRegisters(pt);
        this.images = new ProcessImages(pt, calls, registers);
        PlatformPart.Shared shared = new PlatformPart.Shared(this::kernel, tracer, processes, calls, registers, images);
        this.runControl = new RunControl(shared, this::raiseBreakIn);
        this.signals = new SignalDispatch(shared, runControl, this::onLoaderBreakpoint);
        this.modules = new LoaderModules(shared, runControl, signals);
        this.detacher = new ProcessDetacher(shared);
        this.exits = new ThreadExits(shared, endings, offTracer, runControl);
        this.startups = new ThreadStartup(shared, runControl, modules, detacher, exits);
    }

    /** Binds the platform to the kernel built on it (the kernel's constructor takes the platform, so this comes after). */
    public void attach(Kernel k) {
        Objects.requireNonNull(k, "kernel");
        if (k.platform() != this) {
            throw new IllegalArgumentException("the kernel runs on another platform");
        }
        if (kernel != null && kernel != k) {
            throw new IllegalStateException("already attached to a kernel");
        }
        kernel = k;
    }

    private Kernel kernel() {
        Kernel k = kernel;
        if (k == null) {
            throw new IllegalStateException("LinuxPlatform.attach(kernel) was not called");
        }
        return k;
    }

    /** The tracer thread this platform runs on. */
    public Tracer tracer() {
        return tracer;
    }

    /** The JVM's process id (the host process's id). */
    public int jvmPid() {
        return jvmPid;
    }

    /**
     * How a process the platform traced or launched ended on Linux (exit code or killing signal), once it has been
     * reaped; empty while it runs or if the platform never saw its end.
     */
    public Optional<WaitStatus> linuxExitStatus(long pid) {
        return Optional.ofNullable(endings.get((int) pid));
    }

    /**
     * Detaches cleanly (breakpoint and debug registers put back) from the attached processes still traced, kills the
     * launched ones (the tracer's close), then ends the tracer thread. Normally nothing is left by then: the
     * debugger's thread ended first, and its debug object killed or detached its debuggees.
     */
    @Override
    public void close() {
        if (!tracer.isTracerThread()) {
            CompletableFuture<?>[] detaching = calls.call(() -> processes.values().stream()
                    .filter(lp -> lp.state == LinuxProcess.State.BOUND && !lp.ourChild)
                    .map(detacher::detachProcess).toArray(CompletableFuture[]::new), new CompletableFuture<?>[0]);
            calls.await(CompletableFuture.allOf(detaching), null);
        }
        tracer.close();
        offTracer.shutdown();
    }

    // =================================================================================================================
    // The host process: the debugger itself

    /**
     * A thread of the host process (the JVM, whose pid it has): the caller EThread of the Win32 and Nt calls a
     * debugger makes, with a handle table and a TEB (DbgSsReserved, LastError). Its tid is the calling Java thread's
     * kernel tid when that is free.
     */
    public synchronized EThread createHostThread(String processName) {
        Kernel k = kernel();
        EProcess host = hostProcess;
        if (host == null || host.hasExited() || host.hasFlag(ProcessFlags.PROCESS_EXITING)) {
            // The first debugger thread, or the first after the last one ended (its process ended with it).
            LinuxProcess lp = new LinuxProcess(jvmPid, LinuxProcess.State.HOST, false);
            host = new EProcess(jvmPid, Procfs.ppid(jvmPid).orElse(0), images.exeImage(jvmPid, processName), ProcessTraits.NATIVE);
            images.bindMemory(lp, host);
            k.clientIds().registerProcess(host);
            processes.put(jvmPid, lp);
            hostProcess = host;
        }
        long tid = Posix.gettid();
        if (k.clientIds().thread(tid) != null) {
            tid = SYNTHETIC_TIDS.getAndIncrement();
        }
        LinuxProcess lp = (LinuxProcess) host.platformData();
        return lp.registerThread(k.processes(), tid, 0).value();
    }

    /** PspExitThread for a host thread: closes its DbgUi handle (which may kill or detach debuggees); waits for it. */
    public void exitHostThread(EThread thread, int exitStatus) {
        kernel().processes().exitThread(thread, exitStatus).toCompletableFuture().join();
    }

    private boolean isHost(EThread thread) {
        return thread.process() == hostProcess;
    }

    /**
     * A pending break-in, raised when settling finds its thread may run: the run control settles threads and the
     * signal dispatch settles them again after a dispatch, so the two reach each other through the platform.
     */
    private void raiseBreakIn(LinuxThread t) {
        signals.raiseBreakIn(t);
    }

    /** A stop on r_brk, found by the signal dispatch, for the loader's module tracking (which dispatches in turn). */
    private void onLoaderBreakpoint(LinuxThread t) {
        modules.onLoaderBreakpoint(t);
    }

    // =================================================================================================================
    // Platform: creation

    @Override
    public String name() {
        return "linux";
    }

    /**
     * Launches the program (posix_spawn behind a stop, PTRACE_SEIZE, exec) and returns its pid; the process waits,
     * stopped at its exec, until the kernel gave it its process object and initial thread.
     */
    @Override
    public NtResult<Long> createProcessId(EThread creator, Object program) {
        if (!(program instanceof LinuxProgram p)) {
            return NtResult.fail(NtStatus.STATUS_INVALID_PARAMETER);
        }
        SysResult<Path> resolved = Spawner.resolveProgram(p.argv().getFirst(), p.spawn());
        if (!resolved.isOk()) {
            return NtResult.fail(statusOf(resolved.errnoOrNull()));
        }
        LaunchOptions options = new LaunchOptions(p.spawn(), PtraceConstants.DEFAULT_OPTIONS, true);
        CompletableFuture<SysResult<Launched>> launched = calls.callAsync(() -> tracer.launch(p.argv(), options)
                .thenApply(r -> {
                    if (r instanceof SysResult.Ok<Launched>(Launched l)) {
                        processes.put(l.pid(), new LinuxProcess(l.pid(), LinuxProcess.State.LAUNCHING, true));
                    }
                    return r;
                }));
        SysResult<Launched> r = calls.await(launched, null);
        if (r == null) {
            return NtResult.fail(NtStatus.STATUS_UNSUCCESSFUL);
        }
        if (!(r instanceof SysResult.Ok<Launched>(Launched l))) {
            return NtResult.fail(statusOf(r.errnoOrNull()));
        }
        return NtResult.ok((long) l.pid());
    }

    @Override
    public void processCreationFailed(EProcess process) {
        LinuxProcess lp = processes.get((int) process.pid());
        if (lp == null) {
            return;
        }
        calls.call(() -> {
            lp.state = LinuxProcess.State.BOUND;
            runControl.killProcess(lp);
            return null;
        }, null);
    }

    /** Builds the process's view: memory, PEB, the main image, ld.so as the system DLL (slot 0), the loader list. */
    @Override
    public NtStatus initializeProcess(EProcess process, Object program) {
        LinuxProcess lp = processes.get((int) process.pid());
        if (!(program instanceof LinuxProgram) || lp == null || lp.state != LinuxProcess.State.LAUNCHING) {
            return NtStatus.STATUS_INVALID_PARAMETER;
        }
        return calls.call(() -> {
            images.bindMemory(lp, process);
            images.readImage(lp);
            return NtStatus.STATUS_SUCCESS;
        }, NtStatus.STATUS_UNSUCCESSFUL);
    }

    @Override
    public long allocateTeb(EProcess process) {
        // The one thread the kernel creates in a real process is a launched program's first: its tid is the pid.
        return process.platformData() instanceof LinuxProcess lp && lp.shadow != null ? lp.shadow.allocateTeb(lp.pid) : 0;
    }

    /** The initial thread of a launched process is the process's leader: its tid is the pid. */
    @Override
    public long createThreadId(EProcess process, Object entry) {
        return entry instanceof LinuxProgram ? process.pid() : 0;
    }

    /**
     * Starts the initial thread of a launched process (stopped at its exec): once it may run it reports its creation
     * (CREATE_PROCESS and ld.so's LOAD_DLL) and runs. Other threads cannot be created in a real process from outside
     * (STATUS_NOT_SUPPORTED); the remote break-in uses {@link #breakIn} instead.
     */
    @Override
    public NtStatus startThread(EThread thread, Object entry) {
        if (!(entry instanceof LinuxProgram) || !(thread.process().platformData() instanceof LinuxProcess lp)) {
            return NtStatus.STATUS_NOT_SUPPORTED;
        }
        LinuxThread t = new LinuxThread(lp.pid, lp);
        t.stopped = true;
        t.ethread = thread;
        thread.setPlatformData(t);
        calls.run(() -> {
            lp.threads.put(t.tid, t);
            lp.deferred.removeIf(ev -> ev instanceof TraceEvent.ExecStop);
            lp.state = LinuxProcess.State.BOUND;
            lp.wantInitialBreak = true;
            startups.startup(t, true);
            replayDeferred(lp);
        });
        return NtStatus.STATUS_SUCCESS;
    }

    // =================================================================================================================
    // Platform: discovery, attach, detach, break-in

    /** Gives a process object to a Linux process the machine has not seen (NtOpenProcess of any pid). */
    @Override
    public synchronized EProcess lookupProcess(long pid) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            return null;
        }
        int id = (int) pid;
        LinuxProcess known = processes.get(id);
        if (known != null && known.state != LinuxProcess.State.GONE && known.eprocess != null
                && kernel().clientIds().process(pid) == known.eprocess) {
            return known.eprocess;
        }
        if (!Procfs.exists(id) || Procfs.tgid(id).orElse(-1) != id) {
            return null;
        }
        LinuxProcess lp = new LinuxProcess(id, LinuxProcess.State.UNTRACED, false);
        EProcess process = new EProcess(id, Procfs.ppid(id).orElse(0), images.exeImage(id, null), ProcessTraits.NATIVE);
        images.bindMemory(lp, process);
        processes.put(id, lp);
        kernel().clientIds().registerProcess(process);
        return process;
    }

    /**
     * Seizes every thread of the process and stops them all (the tracer's attach), then gives each a thread object
     * and reads the loader's module list, so Dbgk's fake messages describe the process. The threads stay stopped
     * until {@link #endAttach}. Attaching to init (pid 1) or a kernel thread is refused like attaching to the System
     * process (STATUS_ACCESS_DENIED); a process traced by someone else gives STATUS_PORT_ALREADY_SET; no permission
     * STATUS_ACCESS_DENIED.
     */
    @Override
    public NtStatus beginAttach(EProcess process) {
        if (!(process.platformData() instanceof LinuxProcess lp)) {
            return NtStatus.STATUS_SUCCESS;
        }
        if (lp.state == LinuxProcess.State.HOST || lp.pid == 1) {
            return NtStatus.STATUS_ACCESS_DENIED;
        }
        if (hasExited(lp.pid)) {
            return NtStatus.STATUS_PROCESS_IS_TERMINATING;
        }
        if (process.image() == null) {
            return NtStatus.STATUS_ACCESS_DENIED;
        }
        CompletableFuture<NtStatus> f = calls.callAsync(() -> switch (lp.state) {
            case BOUND, LAUNCHING -> CompletableFuture.completedFuture(NtStatus.STATUS_SUCCESS);
            case ATTACHING -> CompletableFuture.completedFuture(NtStatus.STATUS_PORT_ALREADY_SET);
            case GONE, DETACHING, HOST -> CompletableFuture.completedFuture(NtStatus.STATUS_PROCESS_IS_TERMINATING);
            case UNTRACED -> {
                if (!Procfs.exists(lp.pid) || (lp.startTime != 0 && Procfs.startTime(lp.pid) != lp.startTime)) {
                    exits.markGone(lp, null);
                    yield CompletableFuture.completedFuture(NtStatus.STATUS_PROCESS_IS_TERMINATING);
                }
                lp.state = LinuxProcess.State.ATTACHING;
                yield tracer.attach(lp.pid).thenApply(r -> r instanceof SysResult.Ok<Attached>(Attached a)
                        ? bindAttached(lp, a) : attachFailed(lp, r));
            }
        });
        return calls.await(f, NtStatus.STATUS_UNSUCCESSFUL);
    }

    private NtStatus attachFailed(LinuxProcess lp, SysResult<Attached> r) {
        lp.state = LinuxProcess.State.UNTRACED;
        Errno e = r.errnoOrNull();
        if (Errno.EPERM.equals(e) && hasExited(lp.pid)) {
            return NtStatus.STATUS_PROCESS_IS_TERMINATING;
        }
        if (Errno.EPERM.equals(e) && Procfs.tracerPid(lp.pid).orElse(0) != 0) {
            return NtStatus.STATUS_PORT_ALREADY_SET;
        }
        return statusOf(e);
    }

    /**
     * True when the process has exited and only its zombie waits to be reaped: its rundown is gone (ptrace refuses
     * it with EPERM, and it has no image left to read).
     */
    private static boolean hasExited(int pid) {
        char state = Procfs.state(pid).orElse('X');
        return state == 'Z' || state == 'X';
    }

    /**
     * On the tracer, with every thread seized and stopped: image, modules, thread objects. A thread's registers and
     * debug registers are read when something asks for them; the start addresses of all new threads are read in one
     * batch ({@link ProcessImages#startAddresses}).
     */
    private NtStatus bindAttached(LinuxProcess lp, Attached a) {
        EProcess process = lp.eprocess;
        images.readImage(lp);
        modules.loadModuleList(lp);
        Map<Long, EThread> existing = new HashMap<>();
        for (EThread e : process.threads()) {
            if (!e.hasExited()) {
                existing.put(e.tid(), e);
            }
        }
        lp.threads.clear();
        List<LinuxThread> bound = new ArrayList<>(a.tids().size());
        List<LinuxThread> fresh = new ArrayList<>(a.tids().size());
        for (int tid : a.tids()) {
            LinuxThread t = new LinuxThread(tid, lp);
            t.stopped = true;
            t.debugRegistersRead = false; // whatever a former tracer left there: read when asked for
            bound.add(t);
            if (!existing.containsKey((long) tid) && !(tid == lp.pid && process.image() != null)) {
                fresh.add(t);
            }
        }
        Map<LinuxThread, Long> starts = images.startAddresses(lp, fresh);
        for (LinuxThread t : bound) {
            EThread e = existing.remove((long) t.tid);
            if (e == null) {
                Long start = starts.get(t);
                if (start == null) {
                    start = process.image().entryPoint(); // the main thread
                }
                NtResult<EThread> r = lp.registerThread(kernel().processes(), t.tid, start);
                if (!r.isSuccess()) {
                    continue;
                }
                e = r.value();
            }
            t.ethread = e;
            e.setPlatformData(t);
            RunControl.reportStopped(t);
            lp.threads.put(t.tid, t);
        }
        for (EThread stale : existing.values()) {
            exits.exitAsync(stale, 0);
        }
        return NtStatus.STATUS_SUCCESS;
    }

    /** The attach ended: on success the process runs as its run state allows; on failure it is let go. */
    @Override
    public void endAttach(EProcess process, NtStatus status) {
        if (!(process.platformData() instanceof LinuxProcess lp)) {
            return;
        }
        calls.call(() -> {
            if (lp.state != LinuxProcess.State.ATTACHING) {
                return null;
            }
            lp.state = LinuxProcess.State.BOUND;
            if (status.isSuccess() && process.debugPort() != null) {
                replayDeferred(lp);
                runControl.settleAll(lp);
            } else {
                detacher.detachProcess(lp);
            }
            return null;
        }, null);
    }

    /** DebugActiveProcessStop / close without kill: puts back what the platform changed, PTRACE_DETACH, and waits. */
    @Override
    public void debugPortRemoved(EProcess process) {
        if (!(process.platformData() instanceof LinuxProcess lp)) {
            return;
        }
        CompletableFuture<Void> done = calls.callAsync(() -> lp.state == LinuxProcess.State.BOUND
                ? detacher.detachProcess(lp) : CompletableFuture.completedFuture(null));
        if (!tracer.isTracerThread()) {
            calls.await(done, null);
        }
    }

    /**
     * The debug object's kill-on-close flag for {@code process}: PTRACE_O_EXITKILL follows it, so that if the JVM
     * dies without closing the object, a process whose debugger asked DebugSetProcessKillOnExit(FALSE) lives on
     * (detached by the kernel), as on Windows, and the others die.
     */
    @Override
    public void debugPortKillOnClose(EProcess process, boolean killOnClose) {
        if (process.platformData() instanceof LinuxProcess lp && lp.state != LinuxProcess.State.HOST) {
            CompletableFuture<SysResult<Void>> done = tracer.setKillOnClose(lp.pid, killOnClose);
            if (!tracer.isTracerThread()) {
                calls.await(done, null);
            }
        }
    }

    /**
     * DebugBreakProcess: the process's first thread (its leader if alive) raises STATUS_BREAKPOINT where it is, at
     * its next chance to run: at once if it runs (PTRACE_INTERRUPT), or when its suspension or freeze ends. Continued
     * with DBG_EXCEPTION_NOT_HANDLED it is not delivered anywhere (DbgUiRemoteBreakin's catch-all handler). A process
     * that is not debugged is left alone (DbgUiRemoteBreakin only breaks when BeingDebugged).
     */
    @Override
    public NtStatus breakIn(EProcess process) {
        if (!(process.platformData() instanceof LinuxProcess lp) || lp.state == LinuxProcess.State.HOST) {
            return NtStatus.STATUS_NOT_SUPPORTED;
        }
        return calls.call(() -> {
            if (lp.state != LinuxProcess.State.BOUND || process.debugPort() == null) {
                return NtStatus.STATUS_SUCCESS;
            }
            LinuxThread chosen = null;
            for (LinuxThread t : lp.threads.values()) {
                if (!t.gone && !t.exiting && t.ethread != null) {
                    chosen = t;
                    break;
                }
            }
            if (chosen == null) {
                return NtStatus.STATUS_PROCESS_IS_TERMINATING;
            }
            chosen.breakInPending = true;
            runControl.settle(chosen);
            return NtStatus.STATUS_SUCCESS;
        }, NtStatus.STATUS_UNSUCCESSFUL);
    }

    // =================================================================================================================
    // Platform: run state, context, files

    @Override
    public void runStateChanged(EThread thread) {
        if (thread.platformData() instanceof LinuxThread t) {
            if (t.proc.state == LinuxProcess.State.ATTACHING) {
                // Dbgk suspends every thread while it posts the fake messages: the threads are stopped and reported
                // so (bindAttached), and endAttach settles each one, so a trip to the tracer per thread buys nothing.
                return;
            }
            calls.run(() -> runControl.settle(t));
        } else {
            thread.waiter().poke();
        }
    }

    /** The registers as an AMD64 CONTEXT (CONTEXT_ALL with DR0-3, DR6, DR7); a running thread is stopped briefly. */
    @Override
    public Amd64Context getContext(EThread thread) {
        if (!(thread.platformData() instanceof LinuxThread t)) {
            return Amd64Context.zero();
        }
        UserRegs cached = t.regs;
        if (cached != null && t.debugRegistersRead) {
            return ThreadRegisters.toContext(cached, t.dr);
        }
        Amd64Context c = calls.await(calls.callAsync(() -> runControl.whenStopped(t, () -> {
            UserRegs r = registers.regsOf(t);
            return r == null ? null : ThreadRegisters.toContext(r, registers.debugRegisters(t));
        })), null);
        return c == null ? Amd64Context.zero() : c;
    }

    /** Writes the parts of the context its ContextFlags name (control, integer, debug registers). */
    @Override
    public NtStatus setContext(EThread thread, Amd64Context context) {
        if (!(thread.platformData() instanceof LinuxThread t) || context == null) {
            return NtStatus.STATUS_INVALID_PARAMETER;
        }
        if (ThreadRegisters.setContextAtStop(t, context)) {
            return NtStatus.STATUS_SUCCESS;
        }
        NtStatus s = calls.await(calls.callAsync(() -> runControl.whenStopped(t, () -> registers.applyContext(t, context))), null);
        return s == null ? NtStatus.STATUS_THREAD_IS_TERMINATING : s;
    }

    @Override
    public NtResult<FileObject> openImageFile(String path) {
        if (path == null || path.isEmpty()) {
            return NtResult.fail(NtStatus.STATUS_OBJECT_NAME_INVALID);
        }
        try {
            return NtResult.ok(new FileObject(path, new FileBacking(openForReading(path))));
        } catch (NoSuchFileException e) {
            return NtResult.fail(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
        } catch (AccessDeniedException e) {
            return NtResult.fail(NtStatus.STATUS_ACCESS_DENIED);
        } catch (IOException | RuntimeException e) {
            return NtResult.fail(NtStatus.STATUS_UNSUCCESSFUL);
        }
    }

    /**
     * A channel reading {@code path}: a RandomAccessFile's, which costs a third of FileChannel.open (an attach opens
     * one per module, for its LOAD_DLL's hFile). When that fails, FileChannel.open says why (no such file, access
     * denied) with its exception, which RandomAccessFile does not.
     */
    private static FileChannel openForReading(String path) throws IOException {
        try {
            return new RandomAccessFile(path, "r").getChannel();
        } catch (FileNotFoundException e) {
            return FileChannel.open(Path.of(path), StandardOpenOption.READ);
        }
    }

    /** Debuggee threads continue on the tracer thread; host threads inline, on whoever completes. */
    @Override
    public Executor continuationExecutor(EThread thread) {
        return isHost(thread) ? Runnable::run : tracerExecutor;
    }

    /** There is no ntdll in a Linux process: DbgUiIssueRemoteBreakin uses {@link #breakIn}. */
    @Override
    public long systemRoutineAddress(EProcess process, String ntdllExport) {
        return 0;
    }

    // =================================================================================================================
    // Trace events (tracer thread)

    private void onEvent(TraceEvent ev, Ptrace ignored) {
        try {
            handle(ev);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "linux platform failed on " + ev, e);
        }
    }

    private void handle(TraceEvent ev) {
        LinuxProcess lp = processes.get(ev.pid());
        if (lp == null || lp.state == LinuxProcess.State.GONE) {
            if (ev instanceof TraceEvent.NewThreadFirstStop n && n.isNewProcess()) {
                startups.onNewProcess(n);
            } else if (ev.isStop()) {
                resumeUnwatched(ev);
            }
            return;
        }
        switch (lp.state) {
            case LAUNCHING, ATTACHING -> {
                lp.deferred.add(ev);
                return;
            }
            case DETACHING -> {
                if (!ev.isStop() && ev.pid() == ev.tid()) {
                    exits.markGone(lp, ev);
                }
                return;
            }
            case UNTRACED, HOST -> {
                if (!ev.isStop() && ev.pid() == ev.tid()) {
                    exits.markGone(lp, ev);
                } else if (ev.isStop()) {
                    resumeUnwatched(ev);
                }
                return;
            }
            default -> {
            }
        }
        LinuxThread t = lp.threads.get(ev.tid());
        if (!ev.isStop()) {
            exits.onGone(lp, t, ev);
            return;
        }
        if (t == null) {
            if (ev instanceof TraceEvent.NewThreadFirstStop n) {
                startups.onNewThread(lp, n);
            } else {
                pt.cont(ev.tid(), 0); // a thread we never saw start: it is about to report its first stop or end
            }
            return;
        }
        noteStop(t);
        switch (ev) {
            case TraceEvent.SignalStop s -> signals.onSignal(t, s);
            case TraceEvent.ExitStop x -> exits.onExitStop(t, x);
            case TraceEvent.ExecStop x -> startups.onExec(t, x);
            case TraceEvent.GroupStop g -> {
                t.listen = true;
                runControl.settle(t);
            }
            default -> runControl.settle(t);
        }
        // After the stop's own handling (which takes its holds): a quiesce waiting for this thread may go on.
        runControl.checkQuiesce(lp);
    }

    /** Continues a stop of a process the platform does not watch, with the signal it stopped for (if any). */
    private void resumeUnwatched(TraceEvent ev) {
        pt.cont(ev.tid(), ev instanceof TraceEvent.SignalStop s ? s.signal() : 0);
    }

    /** Bookkeeping for any stop: the thread is stopped; work waiting for that runs; a quiesce may be complete. */
    private void noteStop(LinuxThread t) {
        t.stopped = true;
        RunControl.reportStopped(t);
        t.interruptSent = false;
        t.pendingSignal = 0;
        t.listen = false;
        t.regs = null;
        t.runStopWaiters();
    }

    private void replayDeferred(LinuxProcess lp) {
        List<TraceEvent> events = List.copyOf(lp.deferred);
        lp.deferred.clear();
        events.forEach(this::handle);
    }

    /** The NTSTATUS for a failed Linux call. */
    static NtStatus statusOf(Errno e) {
        if (e == null) {
            return NtStatus.STATUS_UNSUCCESSFUL;
        }
        return switch (e.code()) {
            case 2 -> NtStatus.STATUS_OBJECT_NAME_NOT_FOUND; // ENOENT
            case 1, 13 -> NtStatus.STATUS_ACCESS_DENIED; // EPERM, EACCES
            case 3 -> NtStatus.STATUS_PROCESS_IS_TERMINATING; // ESRCH
            case 8 -> NtStatus.of(0xC000007B); // ENOEXEC: STATUS_INVALID_IMAGE_FORMAT
            case 12 -> NtStatus.STATUS_NO_MEMORY;
            default -> NtStatus.STATUS_UNSUCCESSFUL;
        };
    }
}
