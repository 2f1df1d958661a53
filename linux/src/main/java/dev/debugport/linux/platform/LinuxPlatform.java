package dev.debugport.linux.platform;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.Platform;
import dev.debugport.kernel.io.FileObject;
import dev.debugport.kernel.ki.ExceptionDispatcher;
import dev.debugport.kernel.mm.MemoryAccess;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.kernel.ps.ProcessFlags;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.kernel.ps.Teb;
import dev.debugport.linux.ptrace.Errno;
import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.Ptrace;
import dev.debugport.linux.ptrace.PtraceConstants;
import dev.debugport.linux.ptrace.SigInfo;
import dev.debugport.linux.ptrace.Signals;
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
import dev.debugport.nt.Amd64Register;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.NtStatus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

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
 * SetThreadContext at a stop replaces them for the tracer to write at the resume ({@code setContextAtStop}), and
 * memory is read and written from the calling thread ({@link LinuxMemory}). The continuation executor of every debuggee thread is the tracer, so the steps
 * that follow a debugger's continue run there too. The tracer never blocks: PspExitThread (which may wait for an
 * attach holding a thread's rundown protection) is called on a virtual thread.
 *
 * <h2>Holds and all-stop</h2>
 * A thread that reports an event (an exception, its creation, its exit, a module load) stays in its ptrace-stop:
 * it is <i>held</i> until the completion of the kernel call fires (the debugger continued), then resumed if the
 * kernel's run state allows (no suspension, no process freeze). Other reasons to keep a thread stopped work the same
 * way: the kernel's run state is the rule, holds are the platform's own, and {@code settle} makes each thread
 * follow both (PTRACE_INTERRUPT a thread that must stop, PTRACE_CONT one that may run). Before an event that freezes
 * the process is handed to Dbgk, every other thread is brought to a stop (a <i>quiesce</i>), so the process is
 * all-stopped by the time the debugger sees the event; Dbgk's freeze then keeps it so until the continue.
 *
 * <h2>Ids</h2>
 * Process and thread ids are the real pids and tids ({@link #createProcessId}, {@link #createThreadId}); the
 * JVM's own pid is the debugger's host process ({@link #createHostThread}), so attaching to it is attaching to
 * oneself. Processes the machine did not start are given a process object on first NtOpenProcess
 * ({@link #lookupProcess}).
 */
public final class LinuxPlatform implements Platform, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LinuxPlatform.class.getName());
    /** How long a caller waits for the tracer to answer (it only waits for ptrace work, never for a debugger). */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int RT_CONSISTENT = 0;
    /** CONTEXT_CONTROL, CONTEXT_INTEGER and CONTEXT_DEBUG_REGISTERS without the AMD64 bit: the parts applied. */
    private static final int CONTEXT_CONTROL = 0x1;
    private static final int CONTEXT_INTEGER = 0x2;
    private static final int CONTEXT_DEBUG = 0x10;
    private static final int SYS_EXIT = 60;
    private static final long MAX_NAME = 4096;
    /** Host thread ids that clash with a real one are taken from here (above any pid_max). */
    private static final AtomicLong SYNTHETIC_TIDS = new AtomicLong(0x4000_0000L);

    private final Tracer tracer;
    private final Ptrace pt;
    private final Executor tracerExecutor;
    private final ExecutorService offTracer = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("linux-kernel-", 0).factory());
    private final Map<Integer, LinuxProcess> processes = new ConcurrentHashMap<>();
    private final Map<Integer, WaitStatus> endings = new ConcurrentHashMap<>();
    private final ElfCache elfCache = new ElfCache();
    private final int jvmPid = Posix.getpid();
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
            CompletableFuture<?>[] detaching = call(() -> processes.values().stream()
                    .filter(lp -> lp.state == LinuxProcess.State.BOUND && !lp.ourChild)
                    .map(this::detachProcess).toArray(CompletableFuture[]::new), new CompletableFuture<?>[0]);
            await(CompletableFuture.allOf(detaching), null);
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
            host = new EProcess(jvmPid, Procfs.ppid(jvmPid).orElse(0), exeImage(jvmPid, processName), ProcessTraits.NATIVE);
            bindMemory(lp, host);
            k.clientIds().registerProcess(host);
            processes.put(jvmPid, lp);
            hostProcess = host;
        }
        long tid = Posix.gettid();
        if (k.clientIds().thread(tid) != null) {
            tid = SYNTHETIC_TIDS.getAndIncrement();
        }
        LinuxProcess lp = (LinuxProcess) host.platformData();
        EThread thread = k.processes().registerThread(host, tid, 0, 0, new Teb(lp.shadow.allocateTeb())).value();
        initTeb(lp, thread);
        return thread;
    }

    /** PspExitThread for a host thread: closes its DbgUi handle (which may kill or detach debuggees); waits for it. */
    public void exitHostThread(EThread thread, int exitStatus) {
        kernel().processes().exitThread(thread, exitStatus).toCompletableFuture().join();
    }

    private boolean isHost(EThread thread) {
        return thread.process() == hostProcess;
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
        CompletableFuture<SysResult<Launched>> launched = callAsync(() -> tracer.launch(p.argv(), options)
                .thenApply(r -> {
                    if (r instanceof SysResult.Ok<Launched>(Launched l)) {
                        processes.put(l.pid(), new LinuxProcess(l.pid(), LinuxProcess.State.LAUNCHING, true));
                    }
                    return r;
                }));
        SysResult<Launched> r = await(launched, null);
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
        call(() -> {
            lp.state = LinuxProcess.State.BOUND;
            killProcess(lp);
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
        return call(() -> {
            bindMemory(lp, process);
            readImage(lp);
            return NtStatus.STATUS_SUCCESS;
        }, NtStatus.STATUS_UNSUCCESSFUL);
    }

    @Override
    public long allocateTeb(EProcess process) {
        return process.platformData() instanceof LinuxProcess lp && lp.shadow != null ? lp.shadow.allocateTeb() : 0;
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
        run(() -> {
            lp.threads.put(t.tid, t);
            initTeb(lp, thread);
            lp.deferred.removeIf(ev -> ev instanceof TraceEvent.ExecStop);
            lp.state = LinuxProcess.State.BOUND;
            lp.wantInitialBreak = true;
            startup(t, true);
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
        EProcess process = new EProcess(id, Procfs.ppid(id).orElse(0), exeImage(id, null), ProcessTraits.NATIVE);
        bindMemory(lp, process);
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
        CompletableFuture<NtStatus> f = callAsync(() -> switch (lp.state) {
            case BOUND, LAUNCHING -> CompletableFuture.completedFuture(NtStatus.STATUS_SUCCESS);
            case ATTACHING -> CompletableFuture.completedFuture(NtStatus.STATUS_PORT_ALREADY_SET);
            case GONE, DETACHING, HOST -> CompletableFuture.completedFuture(NtStatus.STATUS_PROCESS_IS_TERMINATING);
            case UNTRACED -> {
                if (!Procfs.exists(lp.pid) || (lp.startTime != 0 && startTime(lp.pid) != lp.startTime)) {
                    markGone(lp, null);
                    yield CompletableFuture.completedFuture(NtStatus.STATUS_PROCESS_IS_TERMINATING);
                }
                lp.state = LinuxProcess.State.ATTACHING;
                yield tracer.attach(lp.pid).thenApply(r -> r instanceof SysResult.Ok<Attached>(Attached a)
                        ? bindAttached(lp, a) : attachFailed(lp, r));
            }
        });
        return await(f, NtStatus.STATUS_UNSUCCESSFUL);
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
     * batch ({@link #startAddresses}).
     */
    private NtStatus bindAttached(LinuxProcess lp, Attached a) {
        EProcess process = lp.eprocess;
        readImage(lp);
        loadModuleList(lp);
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
        Map<LinuxThread, Long> starts = startAddresses(lp, fresh);
        for (LinuxThread t : bound) {
            EThread e = existing.remove((long) t.tid);
            if (e == null) {
                Long start = starts.get(t);
                if (start == null) {
                    start = process.image().entryPoint(); // the main thread
                }
                NtResult<EThread> r = kernel().processes().registerThread(process, t.tid, start, start, new Teb(lp.shadow.allocateTeb()));
                if (!r.isSuccess()) {
                    continue;
                }
                e = r.value();
                initTeb(lp, e);
            }
            t.ethread = e;
            e.setPlatformData(t);
            reportStopped(t);
            lp.threads.put(t.tid, t);
        }
        for (EThread stale : existing.values()) {
            exitAsync(stale, 0);
        }
        return NtStatus.STATUS_SUCCESS;
    }

    /** The attach ended: on success the process runs as its run state allows; on failure it is let go. */
    @Override
    public void endAttach(EProcess process, NtStatus status) {
        if (!(process.platformData() instanceof LinuxProcess lp)) {
            return;
        }
        call(() -> {
            if (lp.state != LinuxProcess.State.ATTACHING) {
                return null;
            }
            lp.state = LinuxProcess.State.BOUND;
            if (status.isSuccess() && process.debugPort() != null) {
                replayDeferred(lp);
                settleAll(lp);
            } else {
                detachProcess(lp);
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
        CompletableFuture<Void> done = callAsync(() -> lp.state == LinuxProcess.State.BOUND
                ? detachProcess(lp) : CompletableFuture.completedFuture(null));
        if (!tracer.isTracerThread()) {
            await(done, null);
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
                await(done, null);
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
        return call(() -> {
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
            settle(chosen);
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
            run(() -> settle(t));
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
            return toContext(cached, t.dr);
        }
        Amd64Context c = await(callAsync(() -> whenStopped(t, () -> {
            UserRegs r = regsOf(t);
            return r == null ? null : toContext(r, debugRegisters(t));
        })), null);
        return c == null ? Amd64Context.zero() : c;
    }

    /** Writes the parts of the context its ContextFlags name (control, integer, debug registers). */
    @Override
    public NtStatus setContext(EThread thread, Amd64Context context) {
        if (!(thread.platformData() instanceof LinuxThread t) || context == null) {
            return NtStatus.STATUS_INVALID_PARAMETER;
        }
        if (setContextAtStop(t, context)) {
            return NtStatus.STATUS_SUCCESS;
        }
        NtStatus s = await(callAsync(() -> whenStopped(t, () -> applyContext(t, context))), null);
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
                onNewProcess(n);
            } else if (ev.isStop()) {
                pt.cont(ev.tid(), ev instanceof TraceEvent.SignalStop s ? s.signal() : 0);
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
                    markGone(lp, ev);
                }
                return;
            }
            case UNTRACED, HOST -> {
                if (!ev.isStop() && ev.pid() == ev.tid()) {
                    markGone(lp, ev);
                } else if (ev.isStop()) {
                    pt.cont(ev.tid(), ev instanceof TraceEvent.SignalStop s ? s.signal() : 0);
                }
                return;
            }
            default -> {
            }
        }
        LinuxThread t = lp.threads.get(ev.tid());
        if (!ev.isStop()) {
            onGone(lp, t, ev);
            return;
        }
        if (t == null) {
            if (ev instanceof TraceEvent.NewThreadFirstStop n) {
                onNewThread(lp, n);
            } else {
                pt.cont(ev.tid(), 0); // a thread we never saw start: it is about to report its first stop or end
            }
            return;
        }
        noteStop(t);
        switch (ev) {
            case TraceEvent.SignalStop s -> onSignal(t, s);
            case TraceEvent.ExitStop x -> onExitStop(t, x);
            case TraceEvent.ExecStop x -> onExec(t, x);
            case TraceEvent.GroupStop g -> {
                t.listen = true;
                settle(t);
            }
            default -> settle(t);
        }
        // After the stop's own handling (which takes its holds): a quiesce waiting for this thread may go on.
        checkQuiesce(lp);
    }

    /** Bookkeeping for any stop: the thread is stopped; work waiting for that runs; a quiesce may be complete. */
    private void noteStop(LinuxThread t) {
        t.stopped = true;
        reportStopped(t);
        t.interruptSent = false;
        t.pendingSignal = 0;
        t.listen = false;
        t.regs = null;
        if (!t.stopWaiters.isEmpty()) {
            List<Runnable> waiters = List.copyOf(t.stopWaiters);
            t.stopWaiters.clear();
            waiters.forEach(Runnable::run);
        }
    }

    private void replayDeferred(LinuxProcess lp) {
        List<TraceEvent> events = List.copyOf(lp.deferred);
        lp.deferred.clear();
        events.forEach(this::handle);
    }

    // ---- threads and processes appearing

    /** A new thread's first stop (after its creator's clone): it gets a thread object and reports CREATE_THREAD. */
    private void onNewThread(LinuxProcess lp, TraceEvent.NewThreadFirstStop n) {
        EProcess process = lp.eprocess;
        LinuxThread t = new LinuxThread(n.tid(), lp);
        t.stopped = true;
        if (process == null || process.hasFlag(ProcessFlags.PROCESS_EXITING)) {
            pt.cont(n.tid(), 0);
            return;
        }
        regsOf(t); // read now: a debugger usually asks for the context at CREATE_THREAD
        long start = startAddresses(lp, List.of(t)).get(t);
        NtResult<EThread> r = kernel().processes().registerThread(process, n.tid(), start, start, new Teb(lp.shadow.allocateTeb()));
        if (!r.isSuccess()) {
            pt.cont(n.tid(), 0);
            return;
        }
        EThread e = r.value();
        t.ethread = e;
        e.setPlatformData(t);
        initTeb(lp, e);
        lp.threads.put(t.tid, t);
        checkQuiesce(lp);
        startup(t, false);
    }

    /**
     * A thread's start-up (PspUserThreadStartup): once it may run for the first time, DbgkCreateThread (CREATE_PROCESS
     * and the system DLL for the first thread, CREATE_THREAD otherwise); it is held until the debugger continued. The
     * first thread of a process without a debug port is let go (detached) instead.
     */
    private void startup(LinuxThread t, boolean first) {
        LinuxProcess lp = t.proc;
        EThread e = t.ethread;
        t.holds++;
        e.runState().whenRunnable().thenRunAsync(() -> {
            if (e.waiter().terminating() || lp.state != LinuxProcess.State.BOUND) {
                t.holds--;
                settle(t);
                return;
            }
            EProcess process = e.process();
            if (first && !keepsTraced(process)) {
                t.holds--;
                detachProcess(lp);
                return;
            }
            if (first) {
                plantLoaderBreakpoint(lp);
            }
            Runnable report = () -> kernel().processes().threadStartup(e)
                    .whenComplete((v, x) -> run(() -> afterStartup(t, first, x)));
            if (first) {
                report.run();
            } else {
                quiesceThen(lp, t, report);
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
                chain = chain.thenComposeAsync(v -> reportMap(lp, t, image, false), tracerExecutor);
            }
            chain.whenComplete((v, x) -> run(() -> {
                t.holds--;
                settle(t);
            }));
            return;
        }
        t.holds--;
        settle(t);
    }

    /**
     * A fork/vfork child's first stop. If its parent's debug port is inherited (DbgkCopyProcessDebugPort: the parent
     * is debugged and has no NO_DEBUG_INHERIT, as with DEBUG_PROCESS) it becomes a debugged process on the same object
     * (CREATE_PROCESS with the parent's image, ld.so, then its inherited modules replayed as LOAD_DLL, like a Windows
     * cloned process); otherwise it is detached and runs free.
     */
    private void onNewProcess(TraceEvent.NewThreadFirstStop n) {
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
        bindMemory(lp, process);
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
        NtStatus s = kernel().processes().registerChildProcess(creator, process);
        if (!s.isSuccess() || process.debugPort() == null) {
            kernel().clientIds().removeProcess(process);
            lp.memory.removeAll();
            releaseChild(null, child);
            return;
        }
        processes.put(child, lp);
        LinuxThread t = new LinuxThread(child, lp);
        t.stopped = true;
        long entry = process.image() == null ? 0 : process.image().entryPoint();
        NtResult<EThread> r = kernel().processes().registerThread(process, child, entry, entry, new Teb(lp.shadow.allocateTeb()));
        if (!r.isSuccess()) {
            pt.cont(child, 0);
            return;
        }
        t.ethread = r.value();
        t.ethread.setPlatformData(t);
        initTeb(lp, t.ethread);
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

    // ---- exceptions

    /** A signal-delivery-stop: the r_brk breakpoint, a silent signal, or an exception for KiDispatchException. */
    private void onSignal(LinuxThread t, TraceEvent.SignalStop s) {
        LinuxProcess lp = t.proc;
        int signal = s.signal();
        if (SignalMapping.isSilent(signal)) {
            t.pendingSignal = signal;
            settle(t);
            return;
        }
        UserRegs regs = regsOf(t);
        if (regs == null) {
            settle(t);
            return;
        }
        if (signal == Signals.SIGTRAP && s.info().code() == Signals.SI_KERNEL && lp.memory.isPlanted(regs.rip() - 1)) {
            onLoaderBreakpoint(t);
            return;
        }
        if (signal == Signals.SIGTRAP && s.info().code() == Signals.TRAP_TRACE && (regs.eflags() & UserRegs.EFLAGS_TF) != 0) {
            // Windows clears the trap flag when it reports the single step; Linux leaves a TF the tracer set.
            UserRegs cleared = regs.withEflags(regs.eflags() & ~UserRegs.EFLAGS_TF);
            if (pt.setRegs(t.tid, cleared).isOk()) {
                noteRegs(t, cleared);
                regs = cleared;
            }
        }
        if (signal == Signals.SIGTRAP && s.info().code() == Signals.TRAP_HWBKPT) {
            debugRegisters(t)[6] = pt.getDebugReg(t.tid, 6).orElse(t.dr[6]);
        }
        UserRegs at = regs;
        ExceptionRecord record = SignalMapping.record(signal, s.info(), new SignalMapping.Context() {
            @Override
            public long rip() {
                return at.rip();
            }

            @Override
            public long rsp() {
                return at.rsp();
            }

            @Override
            public long rdi() {
                return at.rdi();
            }

            @Override
            public byte[] code() {
                byte[] b = new byte[15];
                int n = lp.memory.read(at.rip(), b, 0, b.length);
                return java.util.Arrays.copyOf(b, n);
            }

            @Override
            public ProcMaps.Mapping mappingAt(long address) {
                return ProcMaps.find(lp.pid, address).orElse(null);
            }
        });
        t.pendingSignal = signal; // what a detach delivers until the dispatch decides
        t.signalInfo = s.info();
        t.holds++;
        quiesceThen(lp, t, () -> dispatch(t, record, signal, s.info(), false));
    }

    /** A break-in (DebugBreakProcess): STATUS_BREAKPOINT where the thread stopped. */
    private void raiseBreakIn(LinuxThread t) {
        UserRegs regs = regsOf(t);
        if (regs == null) {
            return;
        }
        t.holds++;
        ExceptionRecord record = ExceptionRecord.of(NtStatus.STATUS_BREAKPOINT.value(), regs.rip());
        quiesceThen(t.proc, t, () -> dispatch(t, record, 0, null, true));
    }

    /**
     * KiDispatchException for a thread held at a stop (the caller took a hold; the dispatch releases it): first
     * chance to the debugger; "the program's handlers" are the signal's delivery (a handler installed, the signal
     * ignored, or a default action that does not kill); otherwise second chance, and if that is not handled either,
     * the kernel terminates the process with the exception code and the process dies of its own signal.
     *
     * @param synthetic a break-in or the loader breakpoint: nothing to deliver, never fatal (a catch-all handler)
     * @return completes once the thread's disposition is decided (the hold released)
     */
    private CompletableFuture<Void> dispatch(LinuxThread t, ExceptionRecord record, int signal, SigInfo info, boolean synthetic) {
        LinuxProcess lp = t.proc;
        CompletableFuture<Void> done = new CompletableFuture<>();
        ExceptionDispatcher.UserHandlers handlers = r -> {
            boolean handled;
            if (synthetic) {
                handled = true;
                t.pendingSignal = 0;
            } else if (programHandles(t, signal, info)) {
                handled = true;
                t.pendingSignal = signal;
            } else {
                handled = false;
                t.fatalSignal = signal;
                lp.fatalDispatches++;
            }
            return CompletableFuture.completedFuture(handled);
        };
        CompletionStage<ExceptionDispatcher.Outcome> outcome;
        try {
            outcome = kernel().exceptionDispatcher().dispatch(t.ethread, record, handlers);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((o, x) -> run(() -> {
            finishDispatch(t, o, x, synthetic);
            done.complete(null);
        }));
        return done;
    }

    private void finishDispatch(LinuxThread t, ExceptionDispatcher.Outcome outcome, Throwable failure, boolean synthetic) {
        LinuxProcess lp = t.proc;
        int fatal = t.fatalSignal;
        t.fatalSignal = 0;
        if (fatal != 0) {
            lp.fatalDispatches--;
        }
        t.holds--;
        if (failure != null) {
            LOG.log(System.Logger.Level.WARNING, "exception dispatch failed for " + t, failure);
        } else {
            switch (outcome) {
                case HANDLED_BY_KERNEL_DEBUGGER, HANDLED_BY_DEBUGGER_FIRST_CHANCE, HANDLED_BY_DEBUGGER_SECOND_CHANCE -> t.pendingSignal = 0;
                case HANDLED_BY_PROGRAM -> {
                    if (synthetic) {
                        t.pendingSignal = 0;
                    }
                }
                case TERMINATED -> {
                    if (fatal != 0 && !t.gone && t.stopped && !lp.killIssued && lp.state == LinuxProcess.State.BOUND) {
                        // The kernel terminated the process with the exception code; the process dies of its signal.
                        lp.killIssued = true;
                        t.regs = null;
                        t.stopped = false;
                        pt.cont(t.tid, fatal);
                        return;
                    }
                }
            }
        }
        settle(t);
        if (fatal != 0) {
            settleAll(lp);
        }
    }

    /** Whether delivering {@code signal} reaches the program without ending it (the "program's handlers"). */
    private static boolean programHandles(LinuxThread t, int signal, SigInfo info) {
        long bit = Signals.maskBit(signal);
        boolean caught = (Procfs.signalsCaught(t.proc.pid).orElse(0L) & bit) != 0;
        boolean ignored = (Procfs.signalsIgnored(t.proc.pid).orElse(0L) & bit) != 0;
        if (info != null && SignalMapping.isSynchronousFault(signal, info)) {
            long blocked = Procfs.status(t.tid).map(m -> m.getOrDefault("SigBlk", "0")).map(v -> Long.parseUnsignedLong(v, 16)).orElse(0L);
            return caught && !ignored && (blocked & bit) == 0;
        }
        return caught || ignored || !SignalMapping.defaultTerminates(signal);
    }

    // ---- exits

    /** PTRACE_EVENT_EXIT: PspExitThread (EXIT_THREAD, or EXIT_PROCESS for the last thread); held until continued. */
    private void onExitStop(LinuxThread t, TraceEvent.ExitStop x) {
        t.exiting = true;
        if (t.ethread == null) {
            resume(t);
            return;
        }
        if (t.exitReported) {
            settle(t);
            return;
        }
        t.exitReported = true;
        t.holds++;
        exitAsync(t.ethread, exitCode(x.exitStatus())).whenComplete((v, e) -> run(() -> {
            t.holds--;
            settle(t);
        }));
    }

    private void onGone(LinuxProcess lp, LinuxThread t, TraceEvent ev) {
        if (t != null) {
            t.gone = true;
            t.stopped = true;
            t.exiting = true;
            t.regs = null;
            lp.threads.remove(t.tid);
            if (!t.stopWaiters.isEmpty()) {
                List<Runnable> waiters = List.copyOf(t.stopWaiters);
                t.stopWaiters.clear();
                waiters.forEach(Runnable::run);
            }
            if (t.ethread != null && !t.exitReported) {
                t.exitReported = true;
                exitAsync(t.ethread, exitCode(ev));
            }
        }
        if (ev.pid() == ev.tid()) {
            markGone(lp, ev);
        }
        checkQuiesce(lp);
    }

    /** The process is gone (reaped, or found dead): every thread object left exits, the process object with it. */
    private void markGone(LinuxProcess lp, TraceEvent ev) {
        if (ev != null) {
            WaitStatus st = switch (ev) {
                case TraceEvent.Exited x -> WaitStatus.decode((x.code() & 0xFF) << 8);
                case TraceEvent.Killed k -> WaitStatus.decode(k.signal() | (k.coreDumped() ? 0x80 : 0));
                default -> null;
            };
            if (st != null) {
                lp.finalStatus = st;
                endings.put(lp.pid, st);
            }
        }
        lp.state = LinuxProcess.State.GONE;
        int code = ev == null ? 0 : exitCode(ev);
        EProcess process = lp.eprocess;
        for (LinuxThread t : List.copyOf(lp.threads.values())) {
            t.gone = true;
            if (t.ethread != null && !t.exitReported) {
                t.exitReported = true;
                exitAsync(t.ethread, code);
            }
        }
        if (process != null) {
            for (EThread e : process.threads()) {
                if (!e.hasExited() && !(e.platformData() instanceof LinuxThread lt && lt.exitReported && lt.proc == lp)) {
                    exitAsync(e, code);
                }
            }
        }
        lp.threads.clear();
        processes.remove(lp.pid, lp);
    }

    private CompletableFuture<Void> exitAsync(EThread e, int code) {
        return CompletableFuture.supplyAsync(() -> kernel().processes().exitThread(e, code), offTracer)
                .thenCompose(CompletionStage::toCompletableFuture)
                .exceptionally(x -> {
                    LOG.log(System.Logger.Level.WARNING, "PspExitThread failed for " + e, x);
                    return null;
                });
    }

    /** The NT exit code of a Linux end: the exit code, or 128 + signal for a thread killed by a signal. */
    private static int exitCode(WaitStatus st) {
        return switch (st) {
            case WaitStatus.Exited x -> x.code();
            case WaitStatus.Killed k -> 128 + k.signal();
            default -> 0;
        };
    }

    private static int exitCode(TraceEvent ev) {
        return switch (ev) {
            case TraceEvent.Exited x -> x.code();
            case TraceEvent.Killed k -> 128 + k.signal();
            default -> 0;
        };
    }

    /**
     * An execve in a debugged process: the old image ends (its threads exit, EXIT_PROCESS with code 0) and the new
     * image starts as a new process object with the same pid on the same debug object (CREATE_PROCESS, ld.so, its
     * loader's LOAD_DLLs and the loader breakpoint), whatever NO_DEBUG_INHERIT says: it is the same Linux process.
     */
    private void onExec(LinuxThread t, TraceEvent.ExecStop x) {
        LinuxProcess lp = t.proc;
        EProcess old = lp.eprocess;
        t.holds++;
        List<CompletableFuture<Void>> exits = new ArrayList<>();
        for (LinuxThread o : List.copyOf(lp.threads.values())) {
            if (o == t) {
                continue;
            }
            o.gone = true;
            lp.threads.remove(o.tid);
            if (o.ethread != null && !o.exitReported) {
                o.exitReported = true;
                exits.add(exitAsync(o.ethread, 0));
            }
        }
        t.exitReported = true;
        CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new))
                .thenCompose(v -> t.ethread == null ? CompletableFuture.completedFuture(null) : exitAsync(t.ethread, 0))
                .whenComplete((v, e) -> run(() -> startNewImage(lp, t, old)));
    }

    private void startNewImage(LinuxProcess lp, LinuxThread oldThread, EProcess old) {
        if (lp.state != LinuxProcess.State.BOUND || oldThread.gone) {
            return;
        }
        EProcess process = new EProcess(lp.pid, old.parentPid(), null, ProcessTraits.NATIVE);
        bindMemory(lp, process);
        lp.modules.clear();
        readImage(lp);
        boolean noInherit = old.hasFlag(ProcessFlags.NO_DEBUG_INHERIT);
        old.clearFlags(ProcessFlags.NO_DEBUG_INHERIT);
        NtStatus s = oldThread.ethread == null ? NtStatus.STATUS_UNSUCCESSFUL
                : kernel().processes().registerChildProcess(oldThread.ethread, process);
        if (noInherit) {
            old.setFlags(ProcessFlags.NO_DEBUG_INHERIT);
            process.setFlags(ProcessFlags.NO_DEBUG_INHERIT);
        }
        lp.threads.remove(oldThread.tid);
        LinuxThread t = new LinuxThread(lp.pid, lp);
        t.stopped = true;
        lp.threads.put(t.tid, t);
        if (!s.isSuccess() || !keepsTraced(process)) {
            kernel().clientIds().removeProcess(process);
            detachProcess(lp);
            return;
        }
        long entry = process.image() == null ? 0 : process.image().entryPoint();
        NtResult<EThread> r = kernel().processes().registerThread(process, lp.pid, entry, entry, new Teb(lp.shadow.allocateTeb()));
        if (!r.isSuccess()) {
            detachProcess(lp);
            return;
        }
        t.ethread = r.value();
        t.ethread.setPlatformData(t);
        initTeb(lp, t.ethread);
        lp.wantInitialBreak = true;
        startup(t, true);
    }

    // =================================================================================================================
    // Run state: settle, quiesce, terminate (tracer thread)

    private void settleAll(LinuxProcess lp) {
        for (LinuxThread t : List.copyOf(lp.threads.values())) {
            settle(t);
        }
    }

    /** Makes one thread follow its run state and holds: resume it if it may run, stop it if it must not. */
    private void settle(LinuxThread t) {
        LinuxProcess lp = t.proc;
        EThread e = t.ethread;
        reportStopped(t); // a thread bound while stopped (new, exec'd, attached) is reported at its first settle
        if (t.gone || e == null || lp.state != LinuxProcess.State.BOUND || (lp.killIssued && !t.exiting)) {
            return;
        }
        if (!t.exiting && e.waiter().terminating()) {
            terminate(t);
            return;
        }
        boolean runnable = t.exiting || e.runState().runnable();
        // A process whose debug port went away is detached next (debugPortRemoved): a stopped thread waits for that
        // (it then runs untraced, instrumentation taken out), so that nothing of the debugger's is hit meanwhile.
        boolean detachComing = !t.exiting && !keepsTraced(e.process());
        boolean mayRun = runnable && t.holds == 0 && lp.quiesceHolds == 0 && !detachComing;
        if (mayRun && t.breakInPending && !t.exiting) {
            if (!t.stopped) {
                interrupt(t);
                return;
            }
            t.breakInPending = false;
            raiseBreakIn(t);
            return;
        }
        if (mayRun) {
            if (t.stopped) {
                resume(t);
            }
        } else if (!t.stopped) {
            interrupt(t);
        }
    }

    /**
     * Tells the kernel whether the thread is in a ptrace-stop: there it executes nothing and its registers hold still,
     * which counts as parked (ThreadRunState), as a simulated thread blocked at a safe point does.
     */
    private static void reportStopped(LinuxThread t) {
        EThread e = t.ethread;
        if (e != null) {
            e.runState().setStoppedByPlatform(t.stopped && !t.gone);
        }
    }

    /**
     * Whether the platform keeps tracing {@code process}: while it has a debug port, and on a machine whose kernel
     * debugger is available (KdPitchDebugger clear), which freezes every thread and sees every process's exceptions.
     */
    private boolean keepsTraced(EProcess process) {
        return process.debugPort() != null || !kernel().kernelDebuggerState().kdPitchDebugger();
    }

    private void resume(LinuxThread t) {
        int signal = t.pendingSignal;
        boolean listen = t.listen;
        t.pendingSignal = 0;
        t.listen = false;
        flushRegs(t, t.takeRegs());
        t.stopped = false;
        t.interruptSent = false;
        reportStopped(t);
        if (listen) {
            pt.listen(t.tid);
        } else {
            pt.cont(t.tid, signal);
        }
    }

    private void interrupt(LinuxThread t) {
        if (!t.interruptSent && pt.interrupt(t.tid).isOk()) {
            t.interruptSent = true;
        }
    }

    /**
     * A termination request: NtTerminateProcess kills the process (SIGKILL), unless a thread is about to die of its
     * own unhandled signal; NtTerminateThread makes the one thread call exit(2) once it is stopped and has no event
     * out (its registers are pointed at a {@code syscall} instruction of the process).
     */
    private void terminate(LinuxThread t) {
        LinuxProcess lp = t.proc;
        if (t.ethread.process().hasFlag(ProcessFlags.PROCESS_EXITING)) {
            if (lp.fatalDispatches > 0) {
                return;
            }
            killProcess(lp);
            return;
        }
        if (t.holds > 0) {
            return;
        }
        if (!t.stopped) {
            interrupt(t);
            return;
        }
        long syscall = syscallInstruction(lp);
        UserRegs regs = regsOf(t);
        if (syscall <= 0 || regs == null) {
            LOG.log(System.Logger.Level.WARNING, "cannot terminate thread " + t + " alone: no syscall instruction found");
            return;
        }
        UserRegs exit = regs.with(UserRegs.Reg.RIP, syscall).with(UserRegs.Reg.RAX, SYS_EXIT)
                .with(UserRegs.Reg.RDI, t.ethread.exitStatus()).with(UserRegs.Reg.ORIG_RAX, -1);
        if (pt.setRegs(t.tid, exit).isOk()) {
            noteRegs(t, exit);
            t.exiting = true;
            t.pendingSignal = 0;
            resume(t);
        }
    }

    private void killProcess(LinuxProcess lp) {
        if (lp.killIssued) {
            return;
        }
        lp.killIssued = true;
        tracer.kill(lp.pid);
        for (LinuxThread t : lp.threads.values()) {
            t.stopped = false;
            t.regs = null;
        }
    }

    /** Runs {@code action} once every thread but {@code except} is stopped; meanwhile nothing of the process runs. */
    private void quiesceThen(LinuxProcess lp, LinuxThread except, Runnable action) {
        if (othersStopped(lp, except)) {
            action.run();
            return;
        }
        lp.quiesceHolds++;
        lp.quiesces.add(new LinuxProcess.Quiesce(except, action));
        settleAll(lp);
    }

    private void checkQuiesce(LinuxProcess lp) {
        if (lp.quiesces.isEmpty()) {
            return;
        }
        boolean ran = false;
        for (LinuxProcess.Quiesce q : List.copyOf(lp.quiesces)) {
            if (lp.quiesces.contains(q) && othersStopped(lp, q.except())) {
                lp.quiesces.remove(q);
                lp.quiesceHolds--;
                ran = true;
                q.action().run();
            }
        }
        if (ran) {
            settleAll(lp);
        }
    }

    private static boolean othersStopped(LinuxProcess lp, LinuxThread except) {
        for (LinuxThread t : lp.threads.values()) {
            if (t != except && !t.gone && !t.stopped) {
                return false;
            }
        }
        return true;
    }

    // =================================================================================================================
    // Detach

    /**
     * Stops the process, takes out the r_brk breakpoint, puts back the debug registers the debugger changed, and
     * PTRACE_DETACHes every thread, delivering the signal a thread was stopped with unless its event was handled.
     */
    private CompletableFuture<Void> detachProcess(LinuxProcess lp) {
        lp.state = LinuxProcess.State.DETACHING;
        lp.quiesces.clear();
        lp.quiesceHolds = 0;
        Map<Long, Byte> planted = lp.memory.planted();
        lp.memory.removeAll();
        return tracer.detach(lp.pid, (tid, defaultSignal) -> {
            LinuxThread t = lp.threads.get(tid);
            if (t != null) {
                restoreDebugRegisters(t);
                flushRegs(t, t.regs);
            }
            // A thread stopped on the r_brk int3 (perhaps not even reported yet): its original instruction is back,
            // so it re-executes it, and the trap is not delivered.
            UserRegs regs = pt.getRegs(tid).orElse(null);
            if (regs != null && planted.containsKey(regs.rip() - 1)
                    && (defaultSignal == Signals.SIGTRAP || (t != null && t.stopped && t.pendingSignal == 0))) {
                pt.setRegs(tid, regs.withRip(regs.rip() - 1));
                return 0;
            }
            if (t == null) {
                return defaultSignal;
            }
            return t.stopped ? t.pendingSignal : defaultSignal;
        }).handle((r, x) -> {
            run(() -> {
                if (lp.state == LinuxProcess.State.DETACHING) {
                    lp.state = LinuxProcess.State.UNTRACED;
                }
                for (LinuxThread t : lp.threads.values()) {
                    t.stopped = false;
                    t.regs = null;
                    t.stopWaiters.forEach(Runnable::run);
                    t.stopWaiters.clear();
                }
                lp.threads.clear();
                lp.modules.clear();
                lp.wantInitialBreak = false;
                lp.killIssued = false;
                lp.fatalDispatches = 0;
            });
            return null;
        });
    }

    // =================================================================================================================
    // Modules: ld.so's r_debug

    /** Plants the int3 on r_brk (_dl_debug_state, whose body is a lone {@code ret}: a hit is stepped over by emulating it). */
    private void plantLoaderBreakpoint(LinuxProcess lp) {
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
    private void onLoaderBreakpoint(LinuxThread t) {
        LinuxProcess lp = t.proc;
        EProcess process = lp.eprocess;
        t.holds++;
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        int state = readInt(lp, lp.rDebug + 24);
        if (state == RT_CONSISTENT && keepsTraced(process)) {
            Map<Long, ImageInfo> now = readLinkMap(lp);
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
                quiesceThen(lp, t, () -> quiet.complete(null));
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
                        return dispatch(t, ExceptionRecord.of(NtStatus.STATUS_BREAKPOINT.value(), lp.rBrk), 0, null, true);
                    }, tracerExecutor);
                }
            }
        } else if (state == RT_CONSISTENT) {
            lp.modules.clear();
            lp.modules.putAll(readLinkMap(lp));
        }
        chain.whenComplete((v, x) -> run(() -> {
            if (x != null) {
                LOG.log(System.Logger.Level.WARNING, "module report failed in " + lp.pid, x);
            }
            emulateReturn(t);
            t.holds--;
            settle(t);
        }));
    }

    private void emulateReturn(LinuxThread t) {
        LinuxProcess lp = t.proc;
        if (t.gone || !t.stopped) {
            return;
        }
        UserRegs regs = regsOf(t);
        if (regs == null || regs.rip() != lp.rBrk + 1) {
            return; // the debugger moved it: its choice
        }
        long ret = readLong(lp, regs.rsp());
        UserRegs after = regs.withRip(ret).withRsp(regs.rsp() + 8);
        if (pt.setRegs(t.tid, after).isOk()) {
            noteRegs(t, after);
        }
    }

    /** LOAD_DLL through DbgkMapViewOfSection, the loader's way: TEB.ArbitraryUserPointer points at the path. */
    private CompletableFuture<Void> reportMap(LinuxProcess lp, LinuxThread t, ImageInfo image, boolean addToList) {
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
        return kernel().debuggerHooks().mapViewOfSection(process, e, image, true).toCompletableFuture()
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
        return kernel().debuggerHooks().unmapViewOfSection(process, t.ethread, image.base(), true).toCompletableFuture()
                .handle((v, x) -> null);
    }

    /** The link_map (r_debug.r_map) without the program, the vDSO and ld.so: l_addr to image. */
    private Map<Long, ImageInfo> readLinkMap(LinuxProcess lp) {
        Map<Long, ImageInfo> out = new LinkedHashMap<>();
        if (lp.rDebug == 0) {
            return out;
        }
        try (RemoteReader reader = new RemoteReader(lp.pid)) {
            // struct link_map: l_addr @0, l_name @8, l_ld @16, l_next @24, read in one go.
            byte[] entry = new byte[32];
            ByteBuffer fields = ByteBuffer.wrap(entry).order(ByteOrder.LITTLE_ENDIAN);
            long map = reader.read(lp.rDebug + 8, entry, 8) == 8 ? fields.getLong(0) : 0;
            boolean first = true;
            for (int i = 0; i < 4096 && map != 0; i++) {
                if (reader.read(map, entry, entry.length) != entry.length) {
                    break;
                }
                long lAddr = fields.getLong(0);
                long namePtr = fields.getLong(8);
                long next = fields.getLong(24);
                if (!first && lAddr != lp.loaderBase && lAddr != lp.vdso) {
                    String name = readCString(reader, namePtr);
                    ImageInfo image = name.isEmpty() ? null : moduleImage(lp, name, lAddr);
                    if (image != null) {
                        out.put(lAddr, image);
                    }
                }
                first = false;
                map = next;
            }
        }
        return out;
    }

    private ImageInfo moduleImage(LinuxProcess lp, String name, long lAddr) {
        Path path = Path.of(name);
        if (!path.isAbsolute()) {
            try {
                path = Files.readSymbolicLink(Path.of("/proc/" + lp.pid + "/cwd")).resolve(path).normalize();
            } catch (IOException e) {
                return null;
            }
        }
        Optional<ElfImage> elf = elf(path.toString());
        if (elf.isEmpty()) {
            // Not an ELF file we can read: listed without a size, unless it is gone.
            return Files.exists(path) ? new ImageInfo(path.toString(), lAddr, 0, 0, 0, 0, ImageInfo.MACHINE_AMD64)
                    : null;
        }
        ElfImage e = elf.get();
        return new ImageInfo(path.toString(), lAddr + e.lowestAddress(), e.mappedSize(), lAddr + e.entry(), 0, 0,
                ImageInfo.MACHINE_AMD64);
    }

    /** At attach: the modules already loaded become the loader list (after the exe and ld.so). */
    private void loadModuleList(LinuxProcess lp) {
        lp.modules.clear();
        lp.modules.putAll(readLinkMap(lp));
        EProcess process = lp.eprocess;
        synchronized (process.loaderList()) {
            process.loaderList().addAll(lp.modules.values());
        }
        plantLoaderBreakpoint(lp);
    }

    // =================================================================================================================
    // Images, memory, TEBs

    private void bindMemory(LinuxProcess lp, EProcess process) {
        lp.eprocess = process;
        lp.shadow = new ShadowMemory(lp.pid);
        lp.memory = new LinuxMemory(lp.pid, lp.shadow, this::writeOnTracer);
        lp.startTime = startTime(lp.pid);
        process.setPlatformData(lp);
        process.setMemory(lp.memory);
        process.setPebAddresses(ShadowMemory.PEB, 0);
    }

    private int writeOnTracer(java.util.function.IntSupplier write) {
        Integer n = call(write::getAsInt, 0);
        return n == null ? 0 : n;
    }

    /**
     * Reads the process's images from its auxiliary vector and files: the executable (base, size, AT_ENTRY), ld.so
     * (AT_BASE) as system DLL slot 0, and where ld.so keeps r_debug and r_brk.
     */
    private void readImage(LinuxProcess lp) {
        EProcess process = lp.eprocess;
        Auxv auxv = Auxv.read(lp.pid);
        ImageInfo exe = exeImage(lp.pid, null);
        if (exe != null) {
            process.setImage(exe);
            MemoryAccess.writeLong(lp.memory, ShadowMemory.PEB + 0x10, exe.base());
        }
        lp.vdso = auxv.get(Auxv.AT_SYSINFO_EHDR);
        lp.loaderBase = auxv.get(Auxv.AT_BASE);
        ImageInfo loader = null;
        if (lp.loaderBase != 0) {
            String path = ProcMaps.find(lp.pid, lp.loaderBase).map(ProcMaps.Mapping::path).orElse("");
            Optional<ElfImage> elf = path.isEmpty() ? Optional.empty() : elf(path);
            if (elf.isPresent()) {
                ElfImage e = elf.get();
                loader = new ImageInfo(path, lp.loaderBase + e.lowestAddress(), e.mappedSize(), lp.loaderBase + e.entry(), 0, 0,
                        ImageInfo.MACHINE_AMD64);
                lp.rDebug = e.symbol("_r_debug").map(v -> lp.loaderBase + v).orElse(0L);
                lp.rBrk = e.symbol("_dl_debug_state").map(v -> lp.loaderBase + v).orElse(0L);
            }
        }
        process.setSystemDlls(loader == null ? new ImageInfo[0] : new ImageInfo[] {loader});
        synchronized (process.loaderList()) {
            process.loaderList().clear();
            if (exe != null) {
                process.loaderList().add(exe);
                if (loader != null) {
                    process.loaderList().add(loader);
                }
            }
        }
    }

    /** The main image of a process: /proc/pid/exe, placed with the auxiliary vector (entry and load bias). */
    private ImageInfo exeImage(int pid, String fallbackName) {
        String path;
        try {
            path = Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString();
        } catch (IOException e) {
            return fallbackName == null ? null : new ImageInfo(fallbackName, 0, 0, 0, 0, 0, ImageInfo.MACHINE_AMD64);
        }
        if (path.endsWith(" (deleted)")) {
            path = path.substring(0, path.length() - " (deleted)".length());
        }
        Auxv auxv = Auxv.read(pid);
        Optional<ElfImage> elf = elf(path);
        if (elf.isEmpty()) {
            return new ImageInfo(path, 0, 0, auxv.get(Auxv.AT_ENTRY), 0, 0, ImageInfo.MACHINE_AMD64);
        }
        ElfImage e = elf.get();
        long entry = auxv.get(Auxv.AT_ENTRY);
        long bias = entry != 0 ? entry - e.entry() : 0;
        return new ImageInfo(path, bias + e.lowestAddress(), e.mappedSize(), entry != 0 ? entry : e.entry(), 0, 0,
                ImageInfo.MACHINE_AMD64);
    }

    private Optional<ElfImage> elf(String path) {
        return elfCache.get(path);
    }

    /** Fills the TEB fields a debugger reads: NtTib.Self, ClientId, the PEB pointer. */
    private static void initTeb(LinuxProcess lp, EThread thread) {
        Teb teb = thread.teb();
        if (teb == null || teb.address() == 0) {
            return;
        }
        MemoryAccess.writeLong(lp.memory, teb.address() + 0x30, teb.address());
        MemoryAccess.writeLong(lp.memory, teb.address() + 0x40, thread.process().pid());
        MemoryAccess.writeLong(lp.memory, teb.address() + 0x48, thread.tid());
        MemoryAccess.writeLong(lp.memory, teb.address() + 0x60, ShadowMemory.PEB);
    }

    /**
     * The Win32 start addresses of stopped threads: each one's pthread start routine, read from its struct pthread
     * (at its thread pointer, fs_base) at the offset glibc publishes for libthread_db
     * ({@code _thread_db_pthread_start_routine}); the thread's rip when that is unknown. The start routines of all
     * the threads are read in one batch ({@link RemoteReader#words}); fs_base comes from registers already read, else
     * from one PEEKUSER.
     */
    private Map<LinuxThread, Long> startAddresses(LinuxProcess lp, List<LinuxThread> threads) {
        long offset = startRoutineOffset(lp);
        long[] slots = new long[threads.size()];
        for (int i = 0; i < slots.length && offset > 0; i++) {
            LinuxThread t = threads.get(i);
            long fsBase = t.regs != null ? t.regs.fsBase()
                    : pt.peekUser(t.tid, UserRegs.Reg.FS_BASE.offset()).orElse(0L);
            slots[i] = fsBase == 0 ? 0 : fsBase + offset;
        }
        long[] routines;
        try (RemoteReader reader = new RemoteReader(lp.pid)) {
            routines = reader.words(slots);
        }
        Map<LinuxThread, Long> starts = new HashMap<>();
        for (int i = 0; i < slots.length; i++) {
            LinuxThread t = threads.get(i);
            long start = routines[i];
            if (start == 0) {
                UserRegs regs = regsOf(t);
                start = regs == null ? 0 : regs.rip();
            }
            starts.put(t, start);
        }
        return starts;
    }

    private long startRoutineOffset(LinuxProcess lp) {
        if (lp.startRoutineOffset != -1) {
            return lp.startRoutineOffset;
        }
        if (lp.modules.isEmpty()) {
            lp.modules.putAll(readLinkMap(lp));
        }
        for (Map.Entry<Long, ImageInfo> m : lp.modules.entrySet()) {
            String name = Path.of(m.getValue().path()).getFileName().toString();
            if (!name.startsWith("libc.so") && !name.startsWith("libc-")) {
                continue;
            }
            Optional<Long> sym = elf(m.getValue().path()).flatMap(e -> e.symbol("_thread_db_pthread_start_routine"));
            if (sym.isPresent()) {
                // A libthread_db descriptor: {size in bits, count, offset} as three 32-bit words.
                byte[] d = new byte[12];
                if (lp.memory.readRaw(m.getKey() + sym.get(), d, 0, 12) == 12) {
                    lp.startRoutineOffset = Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(d).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(8));
                    return lp.startRoutineOffset;
                }
            }
        }
        lp.startRoutineOffset = -2;
        return -2;
    }

    /** A {@code syscall} instruction in the process's executable memory (for NtTerminateThread). */
    private long syscallInstruction(LinuxProcess lp) {
        if (lp.syscallInstruction != 0) {
            return lp.syscallInstruction;
        }
        for (ProcMaps.Mapping m : ProcMaps.read(lp.pid).mappings()) {
            if (!m.executable() || !m.readable() || m.path().startsWith("[v")) {
                continue;
            }
            long length = Math.min(m.end() - m.start(), 1 << 20);
            byte[] b = new byte[(int) length];
            int n = lp.memory.readRaw(m.start(), b, 0, b.length);
            for (int i = 0; i + 1 < n; i++) {
                if (b[i] == 0x0F && b[i + 1] == 0x05 && !lp.memory.isPlanted(m.start() + i)) {
                    lp.syscallInstruction = m.start() + i;
                    return lp.syscallInstruction;
                }
            }
        }
        lp.syscallInstruction = -1;
        return -1;
    }

    private static long readLong(LinuxProcess lp, long address) {
        byte[] b = new byte[8];
        if (lp.memory.readRaw(address, b, 0, 8) != 8) {
            return 0;
        }
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static int readInt(LinuxProcess lp, long address) {
        byte[] b = new byte[4];
        if (lp.memory.readRaw(address, b, 0, 4) != 4) {
            return -1;
        }
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static String readCString(RemoteReader reader, long address) {
        if (address == 0) {
            return "";
        }
        byte[] b = new byte[256];
        StringBuilder sb = new StringBuilder();
        for (long at = address; sb.length() < MAX_NAME; at += b.length) {
            int n = reader.read(at, b, b.length);
            for (int i = 0; i < n; i++) {
                if (b[i] == 0) {
                    return sb.toString();
                }
                sb.append((char) (b[i] & 0xFF));
            }
            if (n < b.length) {
                break;
            }
        }
        return new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static long startTime(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[19]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    // =================================================================================================================
    // Registers

    /** The registers of a stopped thread (read once per stop; a SetThreadContext waiting to be written included). */
    private UserRegs regsOf(LinuxThread t) {
        UserRegs r = t.regs;
        if (r == null && t.stopped && !t.gone) {
            r = pt.getRegs(t.tid).orElse(null);
            noteRegs(t, r);
        }
        return r;
    }

    /** Records registers just read from, or written to, the kernel at this stop. */
    private static void noteRegs(LinuxThread t, UserRegs r) {
        t.written = r;
        t.regs = r;
    }

    /** Writes registers a SetThreadContext left in the snapshot ({@link #setContextAtStop}) before the thread runs. */
    private void flushRegs(LinuxThread t, UserRegs r) {
        if (r != null && r != t.written) {
            pt.setRegs(t.tid, r);
        }
        t.written = null;
    }

    /**
     * The debug registers DR0-3, DR6 and DR7 of a stopped thread (index 0-3, 6, 7), read with six PEEKUSER the first
     * time they are needed after an attach (on the tracer thread): most attached threads never have them asked for.
     */
    private long[] debugRegisters(LinuxThread t) {
        if (!t.debugRegistersRead) {
            for (int n : new int[] {0, 1, 2, 3, 6, 7}) {
                t.dr[n] = pt.getDebugReg(t.tid, n).orElse(0L);
            }
            t.debugRegistersRead = true;
        }
        return t.dr;
    }

    private void restoreDebugRegisters(LinuxThread t) {
        if (t.originalDr == null) {
            return;
        }
        pt.setDebugReg(t.tid, 7, 0);
        for (int n : new int[] {0, 1, 2, 3, 6}) {
            pt.setDebugReg(t.tid, n, t.originalDr[n]);
        }
        pt.setDebugReg(t.tid, 7, t.originalDr[7]);
        t.originalDr = null;
    }

    /** Runs {@code work} on the tracer once {@code t} is stopped (stopping it briefly if it runs); null if it ends. */
    private <T> CompletableFuture<T> whenStopped(LinuxThread t, Supplier<T> work) {
        if (t.gone) {
            return CompletableFuture.completedFuture(null);
        }
        if (t.stopped) {
            return CompletableFuture.completedFuture(work.get());
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        t.holds++;
        t.stopWaiters.add(() -> {
            t.holds--;
            // The stop's own handling settles the thread afterwards.
            f.complete(t.gone ? null : work.get());
        });
        settle(t);
        return f;
    }

    static Amd64Context toContext(UserRegs r, long[] dr) {
        return Amd64Context.zero().withContextFlags(Amd64Context.CONTEXT_ALL)
                .with(Amd64Register.RAX, r.rax()).with(Amd64Register.RCX, r.rcx()).with(Amd64Register.RDX, r.rdx())
                .with(Amd64Register.RBX, r.rbx()).with(Amd64Register.RSP, r.rsp()).with(Amd64Register.RBP, r.rbp())
                .with(Amd64Register.RSI, r.rsi()).with(Amd64Register.RDI, r.rdi()).with(Amd64Register.R8, r.r8())
                .with(Amd64Register.R9, r.r9()).with(Amd64Register.R10, r.r10()).with(Amd64Register.R11, r.r11())
                .with(Amd64Register.R12, r.r12()).with(Amd64Register.R13, r.r13()).with(Amd64Register.R14, r.r14())
                .with(Amd64Register.R15, r.r15()).with(Amd64Register.RIP, r.rip()).with(Amd64Register.EFLAGS, r.eflags())
                .with(Amd64Register.CS, r.cs()).with(Amd64Register.SS, r.ss()).with(Amd64Register.DS, r.ds())
                .with(Amd64Register.ES, r.es()).with(Amd64Register.FS, r.fs()).with(Amd64Register.GS, r.gs())
                .with(Amd64Register.DR0, dr[0]).with(Amd64Register.DR1, dr[1]).with(Amd64Register.DR2, dr[2])
                .with(Amd64Register.DR3, dr[3]).with(Amd64Register.DR6, dr[6]).with(Amd64Register.DR7, dr[7]);
    }

    /**
     * SetThreadContext without a hand-off to the tracer, for a debugger at an event (a software breakpoint hit: rip
     * back one byte and the trap flag set): the thread is stopped with its registers read, the context changes general
     * registers and at most the trap flag of EFLAGS (the kernel filters the other flags: the tracer lets it), and the
     * debug registers stay as they are. The new registers replace the snapshot, which GetThreadContext returns, and
     * the tracer writes them right before the thread runs again (or is detached). False when this does not apply
     * or the thread resumed meanwhile: the tracer then does it all.
     */
    private static boolean setContextAtStop(LinuxThread t, Amd64Context c) {
        UserRegs cur = t.regs;
        if (cur == null || ((c.contextFlags() & CONTEXT_DEBUG) != 0 && (!t.debugRegistersRead || !sameDebugRegisters(c, t.dr)))) {
            return false;
        }
        UserRegs next = withContext(cur, c);
        if (((next.eflags() ^ cur.eflags()) & ~UserRegs.EFLAGS_TF) != 0) {
            return false;
        }
        return next.equals(cur) || t.replaceRegs(cur, next);
    }

    private static boolean sameDebugRegisters(Amd64Context c, long[] dr) {
        return c.get(Amd64Register.DR0) == dr[0] && c.get(Amd64Register.DR1) == dr[1] && c.get(Amd64Register.DR2) == dr[2]
                && c.get(Amd64Register.DR3) == dr[3] && c.get(Amd64Register.DR6) == dr[6] && c.get(Amd64Register.DR7) == dr[7];
    }

    private NtStatus applyContext(LinuxThread t, Amd64Context c) {
        if (t.gone) {
            return NtStatus.STATUS_THREAD_IS_TERMINATING;
        }
        UserRegs cur = regsOf(t);
        if (cur == null) {
            return NtStatus.STATUS_THREAD_IS_TERMINATING;
        }
        UserRegs next = withContext(cur, c);
        if (!next.equals(cur)) {
            SysResult<Void> r = pt.setRegs(t.tid, next);
            if (!r.isOk()) {
                return r.failedWith(Errno.ESRCH) ? NtStatus.STATUS_THREAD_IS_TERMINATING : NtStatus.STATUS_INVALID_PARAMETER;
            }
            noteRegs(t, pt.getRegs(t.tid).orElse(next));
        }
        if ((c.contextFlags() & CONTEXT_DEBUG) != 0) {
            return writeDebugRegisters(t, new long[] {c.get(Amd64Register.DR0), c.get(Amd64Register.DR1),
                c.get(Amd64Register.DR2), c.get(Amd64Register.DR3), 0, 0, c.get(Amd64Register.DR6), c.get(Amd64Register.DR7)});
        }
        return NtStatus.STATUS_SUCCESS;
    }

    /** {@code regs} with the control (rip, rsp, EFLAGS) and integer registers of {@code c}, as its ContextFlags say. */
    private static UserRegs withContext(UserRegs regs, Amd64Context c) {
        int flags = c.contextFlags();
        UserRegs next = regs;
        if ((flags & CONTEXT_CONTROL) != 0) {
            next = next.with(UserRegs.Reg.RIP, c.rip()).with(UserRegs.Reg.RSP, c.rsp())
                    .with(UserRegs.Reg.EFLAGS, c.eflags());
        }
        if ((flags & CONTEXT_INTEGER) != 0) {
            next = next.with(UserRegs.Reg.RAX, c.get(Amd64Register.RAX)).with(UserRegs.Reg.RCX, c.get(Amd64Register.RCX))
                    .with(UserRegs.Reg.RDX, c.get(Amd64Register.RDX)).with(UserRegs.Reg.RBX, c.get(Amd64Register.RBX))
                    .with(UserRegs.Reg.RBP, c.get(Amd64Register.RBP)).with(UserRegs.Reg.RSI, c.get(Amd64Register.RSI))
                    .with(UserRegs.Reg.RDI, c.get(Amd64Register.RDI)).with(UserRegs.Reg.R8, c.get(Amd64Register.R8))
                    .with(UserRegs.Reg.R9, c.get(Amd64Register.R9)).with(UserRegs.Reg.R10, c.get(Amd64Register.R10))
                    .with(UserRegs.Reg.R11, c.get(Amd64Register.R11)).with(UserRegs.Reg.R12, c.get(Amd64Register.R12))
                    .with(UserRegs.Reg.R13, c.get(Amd64Register.R13)).with(UserRegs.Reg.R14, c.get(Amd64Register.R14))
                    .with(UserRegs.Reg.R15, c.get(Amd64Register.R15));
        }
        return next;
    }

    private NtStatus writeDebugRegisters(LinuxThread t, long[] want) {
        debugRegisters(t);
        boolean changed = false;
        for (int n : new int[] {0, 1, 2, 3, 6, 7}) {
            changed |= want[n] != t.dr[n];
        }
        if (!changed) {
            return NtStatus.STATUS_SUCCESS;
        }
        if (t.originalDr == null) {
            t.originalDr = t.dr.clone();
        }
        if (t.dr[7] != 0 && pt.setDebugReg(t.tid, 7, 0).isOk()) {
            t.dr[7] = 0;
        }
        for (int n : new int[] {0, 1, 2, 3, 6}) {
            if (want[n] != t.dr[n]) {
                if (!pt.setDebugReg(t.tid, n, want[n]).isOk()) {
                    return NtStatus.STATUS_INVALID_PARAMETER;
                }
                t.dr[n] = want[n];
            }
        }
        if (want[7] != 0) {
            if (!pt.setDebugReg(t.tid, 7, want[7]).isOk()) {
                return NtStatus.STATUS_INVALID_PARAMETER;
            }
            t.dr[7] = want[7];
        }
        return NtStatus.STATUS_SUCCESS;
    }

    // =================================================================================================================
    // Running things on the tracer thread

    /** Runs {@code r} on the tracer thread: at once when already there, else queued (the caller does not wait). */
    private void run(Runnable r) {
        if (tracer.isTracerThread()) {
            r.run();
        } else {
            tracer.submit(p -> {
                r.run();
                return null;
            });
        }
    }

    /** Runs {@code s} on the tracer thread and waits for its value ({@code onFailure} if it fails or the tracer is gone). */
    private <T> T call(Supplier<T> s, T onFailure) {
        if (tracer.isTracerThread()) {
            return s.get();
        }
        return await(tracer.submit(p -> s.get()), onFailure);
    }

    /** Starts {@code s} on the tracer thread; the future completes when the future {@code s} returns does. */
    private <T> CompletableFuture<T> callAsync(Supplier<CompletableFuture<T>> s) {
        if (tracer.isTracerThread()) {
            try {
                return s.get();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return tracer.submit(p -> s.get()).thenCompose(f -> f);
    }

    private <T> T await(CompletableFuture<T> f, T onFailure) {
        if (tracer.isTracerThread() && !f.isDone()) {
            LOG.log(System.Logger.Level.WARNING, "a tracer-thread caller cannot wait for the tracer", new IllegalStateException());
            return onFailure;
        }
        try {
            T v = f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return v == null ? onFailure : v;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return onFailure;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "tracer call failed", e);
            return onFailure;
        }
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
