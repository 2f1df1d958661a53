package dev.debugport.kernel.ps;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.ke.SystemTime;
import dev.debugport.kernel.ke.ThreadRunState;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The process and thread manager (Ps): creation (PspCreateProcess, PspCreateThread), thread start-up and exit
 * (PspUserThreadStartup, PspExitThread, which call Dbgk at NT's call sites), termination, and suspension
 * (NtSuspendThread, NtResumeThread, NtSuspendProcess, NtResumeProcess, KeFreezeAllThreads).
 */
public final class ProcessManager {
    private final Kernel kernel;

    public ProcessManager(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * What to create.
     *
     * @param program the platform's description of the program
     * @param debugObject a debug object handle in the creator's table (DEBUG_PROCESS), or Handle.NULL
     * @param noDebugInherit PROCESS_CREATE_FLAGS_NO_DEBUG_INHERIT (from DEBUG_ONLY_THIS_PROCESS)
     * @param createSuspended CREATE_SUSPENDED: the initial thread starts with a suspend count of 1
     */
    public record CreateProcessRequest(Object program, ProcessTraits traits, Handle debugObject, boolean noDebugInherit, boolean createSuspended) {
    }

    /** A created process and its initial thread. */
    public record CreatedProcess(EProcess process, EThread initialThread) {
    }

    /**
     * Implements PspCreateProcess (with NtCreateUserProcess's initial thread): builds the address space through the
     * platform, gives the process its debug port (DbgkCopyProcessDebugPort), and starts the initial thread at the
     * image entry point.
     */
    public NtResult<CreatedProcess> createProcess(EThread creator, CreateProcessRequest request) {
        NtResult<Long> id = kernel.platform().createProcessId(creator, request.program());
        if (!id.isSuccess()) {
            return NtResult.fail(id.status());
        }
        long pid = id.value() != 0 ? id.value() : kernel.clientIds().allocate();
        EProcess process = new EProcess(pid, creator.process().pid(), null, request.traits());
        NtStatus status = kernel.platform().initializeProcess(process, request.program());
        if (!status.isSuccess()) {
            kernel.platform().processCreationFailed(process);
            return NtResult.fail(status);
        }
        status = kernel.debuggerHooks().copyProcessDebugPort(creator, process, creator.process(), request.debugObject(), request.noDebugInherit());
        if (!status.isSuccess()) {
            kernel.platform().processCreationFailed(process);
            return NtResult.fail(status);
        }
        kernel.clientIds().registerProcess(process);
        long entry = process.image() == null ? 0 : process.image().entryPoint();
        NtResult<EThread> thread = createThread(process, entry, request.program(), request.createSuspended(), false);
        if (!thread.isSuccess()) {
            kernel.clientIds().removeProcess(process);
            kernel.platform().processCreationFailed(process);
            return NtResult.fail(thread.status());
        }
        return NtResult.ok(new CreatedProcess(process, thread.value()));
    }

    /**
     * Implements PspCreateThread for a user thread: the thread is added to its process's list (so an attach walking
     * the list sees it), marked inserted, and handed to the platform to run.
     *
     * @param entry the platform's description of the code to run
     * @param hideFromDebugger THREAD_CREATE_FLAGS_HIDE_FROM_DEBUGGER
     */
    public NtResult<EThread> createThread(EProcess process, long startAddress, Object entry, boolean suspended, boolean hideFromDebugger) {
        if (process.hasFlag(ProcessFlags.PROCESS_EXITING) || process.hasExited()) {
            return NtResult.fail(NtStatus.STATUS_PROCESS_IS_TERMINATING);
        }
        Teb teb = new Teb(kernel.platform().allocateTeb(process));
        long tid = kernel.platform().createThreadId(process, entry);
        EThread thread = new EThread(tid != 0 ? tid : kernel.clientIds().allocate(), process, false, startAddress, startAddress, teb);
        if (hideFromDebugger) {
            thread.setCrossThreadFlags(ThreadFlags.HIDE_FROM_DEBUGGER);
        }
        if (suspended) {
            thread.runState().suspend();
        }
        process.activeThreads().incrementAndGet();
        process.threads().add(thread);
        kernel.clientIds().registerThread(thread);
        thread.setCrossThreadFlags(ThreadFlags.THREAD_INSERTED);
        NtStatus started = kernel.platform().startThread(thread, entry);
        if (!started.isSuccess()) {
            process.threads().remove(thread);
            process.activeThreads().decrementAndGet();
            kernel.clientIds().removeThread(thread);
            return NtResult.fail(started);
        }
        return NtResult.ok(thread);
    }

    /**
     * Registers a thread the platform found already running in {@code process} (a Linux clone, or a thread that
     * existed before an attach, or a host thread): the thread-list and CID-table half of PspCreateThread, without
     * starting anything. The platform then calls {@link #threadStartup} (if the thread is to report its creation) and
     * {@link #exitThread} when it ends.
     *
     * @param tid the thread's platform id
     * @param teb its TEB (null for none)
     * @return the thread, or STATUS_PROCESS_IS_TERMINATING if the process is exiting
     */
    public NtResult<EThread> registerThread(EProcess process, long tid, long startAddress, long win32StartAddress, Teb teb) {
        if (process.hasFlag(ProcessFlags.PROCESS_EXITING) || process.hasExited()) {
            return NtResult.fail(NtStatus.STATUS_PROCESS_IS_TERMINATING);
        }
        EThread thread = new EThread(tid, process, false, startAddress, win32StartAddress, teb);
        process.activeThreads().incrementAndGet();
        process.threads().add(thread);
        kernel.clientIds().registerThread(thread);
        thread.setCrossThreadFlags(ThreadFlags.THREAD_INSERTED);
        return NtResult.ok(thread);
    }

    /**
     * Registers a process the platform found created by another process of the machine (a Linux fork child of
     * {@code creator}'s process): DbgkCopyProcessDebugPort with inheritance from the parent, then the CID table. Its
     * threads are registered with {@link #registerThread}.
     */
    public NtStatus registerChildProcess(EThread creator, EProcess child) {
        NtStatus status = kernel.debuggerHooks().copyProcessDebugPort(creator, child, creator.process(), Handle.NULL, false);
        if (!status.isSuccess()) {
            return status;
        }
        kernel.clientIds().registerProcess(child);
        return NtStatus.STATUS_SUCCESS;
    }

    /**
     * Implements PspUserThreadStartup's debugger part: calls DbgkCreateThread in the new thread before any of its
     * user code runs. Completes when the debugger (if any) has continued the CREATE_* event.
     */
    public CompletionStage<Void> threadStartup(EThread thread) {
        return kernel.debuggerHooks().createThread(thread);
    }

    /**
     * Implements PspExitThread: the last thread of a process waits for every other thread to be gone and reports
     * EXIT_PROCESS; any other thread reports EXIT_THREAD. Then the thread's DbgUi handle is closed, and the last
     * thread tears the process down (ObKillProcess closes its handles, which may close a debugger's debug object).
     */
    public CompletionStage<Void> exitThread(EThread thread, int exitStatus) {
        EProcess process = thread.process();
        if (!thread.hasCrossThreadFlag(ThreadFlags.TERMINATED)) {
            thread.setExitStatus(exitStatus);
        }
        thread.setCrossThreadFlags(ThreadFlags.TERMINATED);
        // Exiting threads run down their protection first: an attach holding it finishes before we report.
        thread.rundown().waitForRundown();
        boolean last = process.activeThreads().decrementAndGet() == 0;
        CompletionStage<Void> report;
        if (last) {
            if ((process.setFlags(ProcessFlags.PROCESS_EXITING) & ProcessFlags.PROCESS_EXITING) == 0) {
                process.setExitStatus(thread.exitStatus());
            }
            process.rundown().waitForRundown();
            CompletableFuture<?>[] others = process.threads().stream()
                    .filter(t -> t != thread)
                    .map(EThread::terminated)
                    .toArray(CompletableFuture<?>[]::new);
            report = CompletableFuture.allOf(others).thenComposeAsync(v -> {
                process.setExitTime(SystemTime.now());
                return thread.isSystemThread()
                        ? CompletableFuture.completedFuture(null)
                        : kernel.debuggerHooks().exitProcess(thread, process.exitStatus());
            }, kernel.platform().continuationExecutor(thread));
        } else {
            report = thread.isSystemThread()
                    ? CompletableFuture.completedFuture(null)
                    : kernel.debuggerHooks().exitThread(thread, thread.exitStatus());
        }
        return report.thenRunAsync(() -> finishThreadExit(thread, last), kernel.platform().continuationExecutor(thread));
    }

    private void finishThreadExit(EThread thread, boolean last) {
        EProcess process = thread.process();
        Handle dbgUiHandle = thread.teb() == null ? Handle.NULL : thread.teb().debugObjectHandle();
        if (!dbgUiHandle.isNull()) {
            kernel.objectManager().close(kernel.caller(thread, ProcessorMode.USER), dbgUiHandle);
            thread.teb().setDebugObjectHandle(Handle.NULL);
        }
        thread.runState().detach();
        kernel.clientIds().removeThread(thread);
        thread.exitedEvent().set();
        thread.terminated().complete(null);
        if (last) {
            kernel.objectManager().closeAll(process, process.handleTable());
            kernel.clientIds().removeProcess(process);
            process.exitedEvent().set();
        }
    }

    /**
     * Implements NtTerminateProcess: the first termination sets the exit status; every thread is asked to terminate
     * and exits through PspExitThread (so a debugger still sees EXIT_THREAD / EXIT_PROCESS).
     */
    public NtStatus terminateProcess(EProcess process, int exitStatus) {
        if (process.hasExited()) {
            return NtStatus.STATUS_PROCESS_IS_TERMINATING;
        }
        if ((process.setFlags(ProcessFlags.PROCESS_EXITING) & ProcessFlags.PROCESS_EXITING) == 0) {
            process.setExitStatus(exitStatus);
        }
        for (EThread t : List.copyOf(process.threads())) {
            requestThreadTermination(t, exitStatus);
        }
        return NtStatus.STATUS_SUCCESS;
    }

    /** Implements NtTerminateThread: the thread exits at its next opportunity with {@code exitStatus}. */
    public NtStatus terminateThread(EThread thread, int exitStatus) {
        if (thread.hasExited()) {
            return NtStatus.STATUS_THREAD_IS_TERMINATING;
        }
        requestThreadTermination(thread, exitStatus);
        return NtStatus.STATUS_SUCCESS;
    }

    private void requestThreadTermination(EThread thread, int exitStatus) {
        if ((thread.setCrossThreadFlags(ThreadFlags.TERMINATED) & ThreadFlags.TERMINATED) == 0) {
            thread.setExitStatus(exitStatus);
        }
        thread.waiter().requestTermination();
        runStateChanged(thread);
    }

    /**
     * Implements NtSuspendThread's core (PsSuspendThread).
     *
     * @return the previous suspend count, or a failure status as a negative-free result
     */
    public NtResult<Integer> suspendThread(EThread thread) {
        if (thread.hasCrossThreadFlag(ThreadFlags.TERMINATED)) {
            return NtResult.fail(NtStatus.STATUS_THREAD_IS_TERMINATING);
        }
        int previous = thread.runState().suspend();
        if (previous < 0) {
            return NtResult.fail(NtStatus.STATUS_SUSPEND_COUNT_EXCEEDED);
        }
        runStateChanged(thread);
        return NtResult.ok(previous);
    }

    /** Implements NtResumeThread's core (PsResumeThread): returns the previous suspend count. */
    public int resumeThread(EThread thread) {
        int previous = thread.runState().resume();
        runStateChanged(thread);
        return previous;
    }

    /** Implements NtSuspendProcess: suspends every thread once (Windows keeps no separate process count). */
    public NtStatus suspendProcess(EProcess process) {
        for (EThread t : List.copyOf(process.threads())) {
            if (!t.hasExited()) {
                suspendThread(t);
            }
        }
        return NtStatus.STATUS_SUCCESS;
    }

    /** Implements NtResumeProcess: resumes every thread once. */
    public NtStatus resumeProcess(EProcess process) {
        for (EThread t : List.copyOf(process.threads())) {
            resumeThread(t);
        }
        return NtStatus.STATUS_SUCCESS;
    }

    /** Implements KeFreezeAllThreads for a process (DbgkpSuspendProcess): no thread runs until thawed. */
    public void freezeProcess(EProcess process) {
        process.runState().freeze();
        process.threads().forEach(this::runStateChanged);
    }

    /** Implements KeThawAllThreads (DbgkpResumeProcess). */
    public void thawProcess(EProcess process) {
        process.runState().thaw();
        process.threads().forEach(this::runStateChanged);
    }

    private void runStateChanged(EThread thread) {
        thread.runState().fireIfRunnable();
        kernel.platform().runStateChanged(thread);
    }

    /** The suspend count limit (MAXIMUM_SUSPEND_COUNT). */
    public static int maximumSuspendCount() {
        return ThreadRunState.MAXIMUM_SUSPEND_COUNT;
    }
}
