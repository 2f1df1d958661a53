package dev.debugport.sim;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ke.Dispatcher;
import dev.debugport.kernel.ke.SystemTime;
import dev.debugport.kernel.ke.Waiter;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessManager;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulated NT machine: a {@link Kernel} on a {@link SimPlatform}, with the System process (PID 4) and whatever
 * processes are created on it, plus the host side that tests, debuggers and the CLI use:
 * <ul>
 * <li>host processes and threads: a process with no guest code whose thread the calling Java code drives, to be the
 *     caller EThread of Nt* and Win32 calls (a debugger). It has a handle table, a TEB (DbgSsReserved) and an
 *     address space like any process;</li>
 * <li>{@link StopPoints} and signals for holding and releasing guests deterministically;</li>
 * <li>waits with timeouts for process exit and thread states.</li>
 * </ul>
 */
public final class SimMachine {
    /** A stop point every initial thread passes after the loader ran and before the program's main. */
    public static final String LOADER_DONE_POINT = "sim.loader.done";
    /**
     * A stop point every guest thread passes when it first runs, right before it reports its creation
     * (PspUserThreadStartup calling DbgkCreateThread): hold a new thread here to race its report against an attach.
     * Termination ends the hold (the thread then reports nothing).
     */
    public static final String THREAD_STARTUP_POINT = "sim.thread.startup";
    /**
     * A stop point every guest thread passes right before PspExitThread (its EXIT_THREAD / EXIT_PROCESS report):
     * hold an exiting thread here to race its exit against an attach. Termination does not end this hold.
     */
    public static final String THREAD_EXIT_POINT = "sim.thread.exit";

    private final SimPlatform platform;
    private final Kernel kernel;

    private SimMachine() {
        this.platform = new SimPlatform();
        this.kernel = new Kernel(platform);
        platform.attach(kernel);
    }

    /** A new machine with only the System process. */
    public static SimMachine create() {
        return new SimMachine();
    }

    public Kernel kernel() {
        return kernel;
    }

    public SimPlatform platform() {
        return platform;
    }

    public SimFileSystem files() {
        return platform.files();
    }

    public StopPoints stopPoints() {
        return platform.stopPoints();
    }

    // ---- signals ----

    /** Sets a named signal (sticky until reset); guests in {@link GuestApi#waitFor} on it continue. */
    public void signal(String name) {
        platform.signals().signal(name);
    }

    public void resetSignal(String name) {
        platform.signals().reset(name);
    }

    public boolean isSignalled(String name) {
        return platform.signals().isSignalled(name);
    }

    /** Waits until a guest (or anyone) set the signal; false on timeout. */
    public boolean awaitSignal(String name, Duration timeout) {
        return platform.signals().await(name, timeout);
    }

    // ---- host processes and threads ----

    /** A native host process named {@code processName} (e.g. "debugger.exe") and its one host thread. */
    public EThread createHostThread(String processName) {
        return createHostThread(processName, ProcessTraits.NATIVE);
    }

    /** A host process with the given traits (a 32-bit WoW64 debugger, a protected one) and its one host thread. */
    public EThread createHostThread(String processName, ProcessTraits traits) {
        return createHostProcess(processName, traits).threads().getFirst();
    }

    /**
     * Creates a host process (parent: the System process) with one host thread. Its address space is built like a
     * guest's (exe, ntdll, kernel32, PEB), so Win32 code may read its PEB and TEBs.
     *
     * @throws IllegalStateException if the process cannot be built
     */
    public EProcess createHostProcess(String processName, ProcessTraits traits) {
        EProcess process = new EProcess(kernel.clientIds().allocate(), Kernel.SYSTEM_PID, null, traits);
        NtStatus status = platform.initializeProcess(process, new SimProgram(processName, traits, List.of(), null));
        if (!status.isSuccess()) {
            throw new IllegalStateException("cannot build host process " + processName + ": " + status);
        }
        kernel.clientIds().registerProcess(process);
        addHostThread(process);
        return process;
    }

    /**
     * Adds another host thread to a host process (for example a second debugger thread, which has no DbgUi handle
     * of its own). Its creation is reported like any thread's (PspUserThreadStartup), synchronously.
     */
    public EThread addHostThread(EProcess hostProcess) {
        SimProcess sp = SimPlatform.simProcess(hostProcess);
        if (sp == null || !sp.isHost()) {
            throw new IllegalArgumentException(hostProcess + " is not a host process");
        }
        NtResult<EThread> created = kernel.processes().createThread(hostProcess, hostProcess.image().entryPoint(),
                SimPlatform.HOST_ENTRY, false, false);
        if (!created.isSuccess()) {
            throw new IllegalStateException("cannot create a host thread in " + hostProcess + ": " + created.status());
        }
        kernel.processes().threadStartup(created.value()).toCompletableFuture().join();
        return created.value();
    }

    /**
     * Runs PspExitThread for a host thread and waits for it: closes its DbgUi handle (which may kill its debuggees
     * if that was the last handle of a kill-on-close object); the last thread of a host process ends the process.
     * If other threads of the process are still alive, the last thread's exit waits for them.
     */
    public void exitHostThread(EThread hostThread, int exitStatus) {
        SimThread st = SimPlatform.simThread(hostThread);
        if (st == null || !st.isHost()) {
            throw new IllegalArgumentException(hostThread + " is not a host thread");
        }
        kernel.processes().exitThread(hostThread, exitStatus).toCompletableFuture().join();
        st.setState(SimThreadState.EXITED);
    }

    // ---- guest processes ----

    /** Implements CreateProcess with no debug flags: {@code creator}'s process is the parent. */
    public NtResult<ProcessManager.CreatedProcess> createProcess(EThread creator, SimProgram program) {
        return createProcess(creator, program, Handle.NULL, false, false);
    }

    /**
     * Creates a guest process through PspCreateProcess.
     *
     * @param debugObject a debug object handle in {@code creator}'s table (DEBUG_PROCESS), or Handle.NULL
     * @param noDebugInherit PROCESS_CREATE_FLAGS_NO_DEBUG_INHERIT (DEBUG_ONLY_THIS_PROCESS)
     * @param suspended CREATE_SUSPENDED
     */
    public NtResult<ProcessManager.CreatedProcess> createProcess(EThread creator, SimProgram program, Handle debugObject,
                                                                 boolean noDebugInherit, boolean suspended) {
        return kernel.processes().createProcess(creator,
                new ProcessManager.CreateProcessRequest(program, program.traits(), debugObject, noDebugInherit, suspended));
    }

    /** The platform's view of a process (memory, program, modules), or null for the System process. */
    public SimProcess simProcess(EProcess process) {
        return SimPlatform.simProcess(process);
    }

    // ---- waiting ----

    /** Waits until {@code process} has exited (its object is signalled); false on timeout. */
    public static boolean awaitExit(EProcess process, Duration timeout) {
        return Dispatcher.waitForSingle(new Waiter(), process.exitedEvent(), false,
                SystemTime.relativeMillis(timeout.toMillis())).equals(NtStatus.STATUS_SUCCESS);
    }

    /** Waits until {@code thread} has exited; false on timeout. */
    public static boolean awaitExit(EThread thread, Duration timeout) {
        return Dispatcher.waitForSingle(new Waiter(), thread.exitedEvent(), false,
                SystemTime.relativeMillis(timeout.toMillis())).equals(NtStatus.STATUS_SUCCESS);
    }

    /** Where a thread is now (null for a thread the platform does not run). */
    public SimThreadState threadState(EThread thread) {
        return SimPlatform.threadState(thread);
    }

    /** Waits until {@code thread} is in {@code state}; false on timeout. */
    public boolean awaitThreadState(EThread thread, SimThreadState state, Duration timeout) {
        SimThread st = SimPlatform.simThread(thread);
        return st != null && st.awaitState(state, timeout);
    }

    /**
     * Terminates every guest process still alive and waits for them to exit. Guests blocked on an un-continued debug
     * event cannot exit until the debugger continues it or closes its debug object.
     *
     * @return the processes that did not exit in time (empty when all did)
     */
    public List<EProcess> terminateAllGuests(int exitStatus, Duration timeout) {
        List<EProcess> guests = new ArrayList<>();
        for (EProcess p : kernel.clientIds().allProcesses()) {
            SimProcess sp = SimPlatform.simProcess(p);
            if (sp != null && !sp.isHost() && !p.hasExited()) {
                guests.add(p);
                kernel.processes().terminateProcess(p, exitStatus);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<EProcess> stuck = new ArrayList<>();
        for (EProcess p : guests) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!awaitExit(p, Duration.ofNanos(left))) {
                stuck.add(p);
            }
        }
        return stuck;
    }
}
