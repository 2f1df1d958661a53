package dev.debugport.sim;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.mm.MemoryAccess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.Teb;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.image.ImageLayout;
import dev.debugport.sim.memory.PageProtection;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * The platform's side of one thread ({@link EThread#platformData()}): its registers, its mailbox, its state, and,
 * for a guest thread, the Java thread that runs it.
 *
 * <p>A guest thread's life (PspUserThreadStartup to PspExitThread): wait until it may run for the first time (a
 * thread created suspended has not started), report its creation (DbgkCreateThread, through
 * {@link dev.debugport.kernel.ps.ProcessManager#threadStartup}) and wait for the debugger, run the loader if it is
 * the process's initial thread, run its body, and exit through
 * {@link dev.debugport.kernel.ps.ProcessManager#exitThread} whatever way the body ended: by returning (exit code 0),
 * ExitThread, termination, or an escaping Java exception, which first becomes an unhandled guest exception.
 */
final class SimThread {
    private static final System.Logger LOG = System.getLogger("dev.debugport.sim");

    /**
     * The exception code a Java exception escaping guest code is raised with: the MSVC C++ exception code
     * (0xE06D7363, "msc"), because an uncaught Java throw is the guest's equivalent of an uncaught C++ throw.
     */
    static final int JAVA_EXCEPTION_CODE = 0xE06D7363;

    private static final int TEB_STACK_BASE = 0x08;
    private static final int TEB_STACK_LIMIT = 0x10;

    private final SimPlatform platform;
    private final Kernel kernel;
    private final SimProcess process;
    private final EThread thread;
    private final GuestCode body;
    private final boolean initial;
    private final boolean host;
    private final Mailbox mailbox = new Mailbox();
    private final Object stateLock = new Object();
    private SimThreadState state;
    private volatile Amd64Context context;
    private final ExceptionRaiser exceptions;
    private final SimGuest guest;

    private SimThread(SimPlatform platform, SimProcess process, EThread thread, GuestCode body, boolean initial, boolean host) {
        this.platform = platform;
        this.kernel = platform.kernel();
        this.process = process;
        this.thread = thread;
        this.body = body;
        this.initial = initial;
        this.host = host;
        this.state = host ? SimThreadState.HOST : SimThreadState.STARTING;
        long stackTop = initialiseTebAndStack();
        this.context = Amd64Context.zero().withRip(thread.startAddress()).withRsp(stackTop == 0 ? 0 : stackTop - 0x28);
        this.exceptions = new ExceptionRaiser(this);
        this.guest = host ? null : new SimGuest(this, platform);
    }

    /** A guest thread running {@code body} ({@code initial}: the process's first thread, which runs the loader first). */
    static SimThread guest(SimPlatform platform, SimProcess process, EThread thread, GuestCode body, boolean initial) {
        return new SimThread(platform, process, thread, body, initial, false);
    }

    /** A host thread: registers and a TEB, but the Java code that owns it drives it. */
    static SimThread host(SimPlatform platform, SimProcess process, EThread thread) {
        return new SimThread(platform, process, thread, null, false, true);
    }

    /** Maps the stack and writes the TEB fields a debugger reads (NtTib.Self, StackBase/Limit, ClientId, Peb). */
    private long initialiseTebAndStack() {
        long stackBase = process.allocate(ImageLayout.STACK_SIZE, PageProtection.PAGE_READWRITE);
        long stackTop = stackBase == 0 ? 0 : stackBase + ImageLayout.STACK_SIZE;
        if (thread.teb() != null && thread.teb().address() != 0) {
            long teb = thread.teb().address();
            var memory = process.memory();
            MemoryAccess.writeLong(memory, teb + TEB_STACK_BASE, stackTop);
            MemoryAccess.writeLong(memory, teb + TEB_STACK_LIMIT, stackBase);
            MemoryAccess.writeLong(memory, teb + Teb.SELF_OFFSET, teb);
            MemoryAccess.writeLong(memory, teb + Teb.CLIENT_ID_OFFSET, thread.process().pid());
            MemoryAccess.writeLong(memory, teb + Teb.CLIENT_ID_OFFSET + 8, thread.tid());
            MemoryAccess.writeLong(memory, teb + Teb.PEB_OFFSET, ImageLayout.PEB_ADDRESS);
        }
        return stackTop;
    }

    void start() {
        String name = String.format("sim %x.%x %s", thread.process().pid(), thread.tid(), process.program().name());
        Thread.ofVirtual().name(name).start(this::runRoot);
    }

    EThread thread() {
        return thread;
    }

    SimProcess process() {
        return process;
    }

    Kernel kernel() {
        return kernel;
    }

    SimPlatform platform() {
        return platform;
    }

    Mailbox mailbox() {
        return mailbox;
    }

    ExceptionRaiser exceptions() {
        return exceptions;
    }

    boolean isHost() {
        return host;
    }

    /** The continuation executor: tasks run on this guest thread (at its next wait or safe point). */
    Executor executor() {
        return mailbox::post;
    }

    /** NtGetContextThread's platform half. */
    Amd64Context context() {
        return context;
    }

    /** NtSetContextThread's platform half: a stopped thread resumes from this context. */
    void setContext(Amd64Context newContext) {
        this.context = newContext;
    }

    SimThreadState state() {
        synchronized (stateLock) {
            return state;
        }
    }

    void setState(SimThreadState newState) {
        synchronized (stateLock) {
            state = newState;
            stateLock.notifyAll();
        }
    }

    boolean awaitState(SimThreadState wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateLock) {
            while (state != wanted) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    stateLock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return state == wanted;
                }
            }
            return true;
        }
    }

    /** The kernel changed the thread's run state: wake it wherever it waits so it re-checks. */
    void runStateChanged() {
        thread.waiter().poke();
        mailbox.wake();
    }

    // ---- safe points and waits (called on the guest thread) ----

    /**
     * A safe point: runs pending continuation tasks, then parks while the thread is suspended or its process frozen
     * (KiSuspendThread / the freeze check on the way back to user mode). A termination request unwinds the guest.
     */
    void checkpoint() {
        mailbox.runPending();
        if (thread.runState().runnable() && !thread.waiter().terminating()) {
            return;
        }
        SimThreadState before = state();
        setState(SimThreadState.PARKED);
        boolean mayRun;
        try {
            mayRun = thread.runState().awaitRunnable();
        } finally {
            setState(before);
        }
        if (!mayRun) {
            throw new GuestUnwind.Termination();
        }
    }

    /**
     * Waits for a kernel completion the way a thread waits in kernel mode (KeWaitForSingleObject, non-alertable):
     * running mailbox tasks meanwhile; a termination request does not end this wait (the debugger's continue or the
     * debug object's close does).
     */
    <T> T await(CompletionStage<T> stage) {
        CompletableFuture<T> done = new CompletableFuture<>();
        stage.whenComplete((value, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(value);
            }
            mailbox.wake();
        });
        if (!done.isDone()) {
            SimThreadState before = state();
            setState(SimThreadState.IN_KERNEL);
            try {
                mailbox.awaitUntil(done::isDone);
            } finally {
                setState(before);
            }
        }
        try {
            return done.join();
        } catch (CompletionException | CancellationException e) {
            throw rethrowable(e);
        }
    }

    /** A guest wait (a user-mode wait that termination ends): waits for {@code condition}, unwinds on termination. */
    void awaitCondition(BooleanSupplier condition, SimThreadState waitState) {
        if (!condition.getAsBoolean()) {
            SimThreadState before = state();
            setState(waitState);
            try {
                mailbox.awaitUntil(() -> condition.getAsBoolean() || thread.waiter().terminating());
            } finally {
                setState(before);
            }
        }
        if (thread.waiter().terminating()) {
            throw new GuestUnwind.Termination();
        }
    }

    /** Waits for {@code condition} whatever happens (termination included), running mailbox tasks meanwhile. */
    void awaitOnly(BooleanSupplier condition, SimThreadState waitState) {
        if (condition.getAsBoolean()) {
            return;
        }
        SimThreadState before = state();
        setState(waitState);
        try {
            mailbox.awaitUntil(condition);
        } finally {
            setState(before);
        }
    }

    private static RuntimeException rethrowable(RuntimeException wrapper) {
        Throwable cause = wrapper;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof Error error) {
            throw error;
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        return new IllegalStateException("kernel completion failed", cause);
    }

    // ---- the thread root ----

    private void runRoot() {
        int exitCode = runGuest();
        finishExit(exitCode);
    }

    private int runGuest() {
        try {
            if (!awaitFirstRun()) {
                // Terminated before it ever ran: like PspUserThreadStartup for a dead thread, report no creation.
                return thread.exitStatus();
            }
            platform.stopPoints().reach(this, SimMachine.THREAD_STARTUP_POINT, true);
            await(kernel.processes().threadStartup(thread));
            setState(SimThreadState.RUNNING);
            checkpoint();
            if (initial) {
                new ProcessLoader(this, guest).run();
            }
            body.run(guest);
            return 0;
        } catch (GuestUnwind.ExitThread e) {
            return e.exitCode();
        } catch (GuestUnwind.Termination e) {
            return thread.exitStatus();
        } catch (Throwable t) {
            return unhandledJavaThrowable(t);
        }
    }

    /** A new thread runs for the first time only once it is not suspended (CREATE_SUSPENDED) and not frozen. */
    private boolean awaitFirstRun() {
        setState(SimThreadState.STARTING);
        if (thread.runState().runnable() && !thread.waiter().terminating()) {
            return true;
        }
        setState(SimThreadState.PARKED);
        boolean mayRun = thread.runState().awaitRunnable();
        setState(SimThreadState.STARTING);
        return mayRun;
    }

    /**
     * A Java exception escaped guest code (or the sim itself failed): log it and raise it as a non-continuable guest
     * exception, so a debugger sees first and second chance and an unhandled one kills the process with that code.
     * STATUS_STACK_OVERFLOW and STATUS_NO_MEMORY stand for the JVM's own stack and heap exhaustion.
     *
     * @return the thread's exit code if the exception was handled (there is nothing left to resume)
     */
    private int unhandledJavaThrowable(Throwable t) {
        int code = t instanceof StackOverflowError ? NtStatus.STATUS_STACK_OVERFLOW.value()
                : t instanceof OutOfMemoryError ? NtStatus.STATUS_NO_MEMORY.value()
                : JAVA_EXCEPTION_CODE;
        LOG.log(System.Logger.Level.WARNING, () -> thread + ": guest code threw " + t
                + "; raising it as unhandled guest exception " + NtStatus.of(code), t);
        if (thread.waiter().terminating()) {
            return thread.exitStatus();
        }
        try {
            exceptions.raiseUnhandled(code);
            return code;
        } catch (GuestUnwind.Termination e) {
            return thread.exitStatus();
        } catch (GuestUnwind e) {
            return code;
        } catch (Throwable again) {
            LOG.log(System.Logger.Level.ERROR, () -> thread + ": raising the unhandled exception failed", again);
            return code;
        }
    }

    /** PspExitThread, then close the mailbox: later continuations run on whoever posts them. */
    private void finishExit(int exitCode) {
        try {
            platform.stopPoints().reach(this, SimMachine.THREAD_EXIT_POINT, false);
        } catch (GuestUnwind e) {
            // Not terminable, so nothing unwinds here; a leftover task's unwind is not ours to act on.
        }
        setState(SimThreadState.EXITING);
        CompletionStage<Void> exit;
        try {
            exit = kernel.processes().exitThread(thread, exitCode);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, () -> thread + ": PspExitThread failed", t);
            exit = CompletableFuture.completedFuture(null);
        }
        while (true) {
            try {
                await(exit);
                break;
            } catch (GuestUnwind e) {
                // A leftover task unwound (for example a handler that hit a safe point): keep waiting for the exit.
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, () -> thread + ": thread exit completed with a failure", t);
                break;
            }
        }
        for (Runnable task : mailbox.close()) {
            try {
                Mailbox.runTask(task);
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, () -> thread + ": late continuation failed", t);
            }
        }
        setState(SimThreadState.EXITED);
    }

    @Override
    public String toString() {
        return "SimThread[" + thread + "]";
    }
}
