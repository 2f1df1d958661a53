package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.Errno;
import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Ptrace;
import dev.debugport.linux.ptrace.PtraceConstants;
import dev.debugport.linux.ptrace.Spawner;
import dev.debugport.linux.ptrace.SysResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The one thread that owns every tracee: it makes every ptrace and waitpid call of the processes it traces (the
 * kernel accepts ptrace requests only from the thread that attached, and reports stops only to the tracer's thread
 * group). It is a platform thread, never a virtual one (a virtual thread can move between carrier threads).
 *
 * <h2>Threading</h2>
 * Other threads hand it work: {@link #submit} runs a function with the {@link Ptrace} on the tracer thread and
 * completes a future with its result; {@link #launch}, {@link #attach}, {@link #stopProcess}, {@link #detach} and
 * {@link #kill} are tracer operations that start on the tracer thread and complete when their stops have arrived.
 * Called on the tracer thread itself (from the listener), they start inline. Stops are decoded into
 * {@link TraceEvent}s and delivered to the {@link TraceListener}, on the tracer thread.
 *
 * <h2>How it waits without spinning</h2>
 * The loop alternates between running submitted commands and a <b>blocking</b>
 * {@code waitid(P_ALL, WEXITED | __WALL | __WNOTHREAD | WNOWAIT)} that peeks at the next child or tracee with
 * something to report, followed by {@code waitpid(thatPid, __WALL | __WNOTHREAD | WNOHANG)} that consumes it.
 * <ul>
 *   <li><b>Wake-up.</b> A blocked waitid returns only when a child or tracee changes state, so the tracer keeps a
 *       <i>wake-up helper</i>: a tiny child ({@code sh -c 'read -r line'} on a pipe that only the JVM holds) that it
 *       has seized. To wake the tracer, a submitting thread sends the helper SIGUSR1 with {@code kill} (any thread may
 *       do that); the signal puts the helper in a signal-delivery-stop, which ends the tracer's waitid; the tracer
 *       resumes the helper with the signal suppressed and runs the queued commands. A flag keeps at most one wake-up
 *       in flight ({@link WakeupHelper}). Idle, the tracer sleeps in waitid and the helper in read: no CPU at all, no
 *       polling interval, and a wake-up costs one signal and one stop (a submit round trip from another thread
 *       measured 25-100 microseconds on the 2-core build VM). Signal-handler tricks (EINTR) were rejected:
 *       the JVM owns signal handling, and a handler installed without SA_RESTART would disturb other threads. A
 *       signalfd needs the signal blocked in every JVM thread, which Java cannot arrange.</li>
 *   <li><b>Parked while everything is stopped.</b> When every tracee is in a ptrace-stop (a debug event is out), no
 *       tracee can report anything, and the next work is almost always the debugger's continue: the tracer then parks
 *       for up to 2 ms instead of entering waitid, and a submitter wakes it with a plain unpark
 *       ({@code CommandQueue.parkForCommand}).</li>
 *   <li><b>__WNOTHREAD</b> limits waiting to this thread's own children and tracees: children that other JVM threads
 *       created (ProcessBuilder) are invisible to it, and so are tracees of another Tracer in the same JVM.</li>
 *   <li><b>WNOWAIT peek.</b> A status is consumed only for a pid the tracer knows (or an auto-attached new tracee,
 *       recognised by its TracerPid); anything else (say, a child reparented to this thread when its creator exited)
 *       is left for its owner. (/proc's TracerPid names the tracer <i>thread</i>, so it identifies this thread's
 *       tracees exactly.) While such a foreign child blocks the peek, the tracer polls its own tracees one by one
 *       with WNOHANG and backs off (1 ms doubling to 20 ms) between rounds; that state is transient.</li>
 * </ul>
 *
 * <h2>Launch</h2>
 * {@link Spawner#spawnStopped} ({@code sh -c 'kill -STOP $$; exec "$0" "$@"'} with posix_spawnp, then
 * waitpid(WUNTRACED)), {@code PTRACE_SEIZE} with the options, SIGCONT. The shell's stops before the exec (two
 * PTRACE_EVENT_STOP group-stop reports and the SIGCONT signal-delivery-stop) are resumed here; the launch completes
 * at PTRACE_EVENT_EXEC, then the {@link TraceEvent.ExecStop} is delivered. A shell that exits before the exec (126,
 * 127: exec failed) completes the launch with an error value.
 *
 * <h2>All-stop</h2>
 * {@link #stopProcess} interrupts every running thread of a process and completes when every thread is in a
 * ptrace-stop. Meanwhile, the interrupt stops are absorbed and every other event of that process is held back; the
 * held events are delivered, in order, right after the completion (their threads stay stopped). {@link #attach}
 * seizes every thread (re-reading /proc/pid/task until it stops growing), interrupting each one as soon as it is
 * seized (so the threads stop while the others are seized), then completes as the all-stop does.
 *
 * <h2>Close</h2>
 * {@link #close()} kills (SIGKILL) the processes marked kill-on-close and detaches from the others (after stopping
 * them, re-injecting a signal a thread was stopped with), then reaps everything it was the parent of, kills and reaps
 * the helper, and ends the thread. {@code PTRACE_O_EXITKILL} is the safety net if the thread dies first.
 */
public final class Tracer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Tracer.class.getName());
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final TraceListener listener;
    private final TracerOptions options;
    private final Thread thread;
    private final Ptrace ptrace = new Ptrace(new Tracking());
    private final WakeupHelper helper = new WakeupHelper(ptrace);
    private final CommandQueue commands;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private volatile boolean closeRequested;

    // Tracer-thread state.
    private final TraceTable table = new TraceTable();
    private final Launches launches = new Launches(table, ptrace);
    private final AllStop allStop = new AllStop(table, ptrace, this::deliver);
    private final EventRouter router = new EventRouter(table, ptrace, launches, allStop, this::deliver);
    private final StatusWaiter waiter = new StatusWaiter(table, helper, router, this::restartHelper);
    private final DetachOrKill detachOrKill = new DetachOrKill(table, ptrace, allStop);
    private final Attacher attacher = new Attacher(table, ptrace, allStop, waiter::consume);
    private boolean running = true;
    private boolean shuttingDown;

    /** Keeps the thread table in step with resumes and detaches made through the tracer's Ptrace. */
    private final class Tracking implements Ptrace.Observer {
        @Override
        public void resumed(int tid, Ptrace.Resume how, int signal) {
            table.resumed(tid, how);
        }

        @Override
        public void detached(int tid) {
            TracedProcess emptied = table.detached(tid);
            if (emptied != null) {
                allStop.forgetProcess(emptied);
            }
        }
    }

    private Tracer(TraceListener listener, TracerOptions options) {
        this.listener = listener;
        this.options = options;
        this.thread = Thread.ofPlatform()
                .name(options.threadName() + "-" + COUNTER.incrementAndGet())
                .daemon(true)
                .unstarted(this::loop);
        this.commands = new CommandQueue(thread, helper);
    }

    /** Starts a tracer with default options. */
    public static Tracer start(TraceListener listener) {
        return start(listener, TracerOptions.defaults());
    }

    /**
     * Starts a tracer thread and its wake-up helper; returns once the thread runs. The helper is spawned on the tracer
     * thread after that, while the caller goes on with its own set-up (a few ms of start-up), and before the tracer
     * runs the first command: a command submitted meanwhile waits in the queue, which the tracer reads before it
     * first blocks.
     */
    public static Tracer start(TraceListener listener, TracerOptions options) {
        Tracer t = new Tracer(listener, options);
        t.thread.start();
        try {
            t.started.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the tracer", e);
        } catch (Exception e) {
            throw new IllegalStateException("the tracer did not start", e);
        }
        return t;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Public API (thread-safe)

    /** True on the tracer thread. */
    public boolean isTracerThread() {
        return Thread.currentThread() == thread;
    }

    /** The tracer thread. */
    public Thread thread() {
        return thread;
    }

    /**
     * The tracer's {@link Ptrace}, which keeps the thread table in step with resumes and detaches. Its calls work on
     * the tracer thread only (from the listener, or in {@link #submit}ted work).
     */
    public Ptrace ptrace() {
        return ptrace;
    }

    /** The kernel thread id of the tracer thread. */
    public int tracerTid() {
        return table.tracerTid;
    }

    /** The pid of the wake-up helper process (-1 if there is none). */
    public int helperPid() {
        return helper.pid();
    }

    /** How many times another thread's submission woke the tracer (for measurements). */
    public long wakeUps() {
        return helper.wakeUps();
    }

    /**
     * Runs {@code command} on the tracer thread with the tracer's {@link Ptrace}. On the tracer thread it runs at once.
     * The future fails if the command throws or the tracer is closed.
     */
    public <T> CompletableFuture<T> submit(Function<Ptrace, T> command) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (isTracerThread()) {
            try {
                f.complete(command.apply(ptrace));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
            return f;
        }
        if (closeRequested) {
            f.completeExceptionally(new IllegalStateException("tracer closed"));
            return f;
        }
        commands.add(() -> {
            try {
                f.complete(command.apply(ptrace));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, f::completeExceptionally);
        return f;
    }

    /**
     * An executor that runs tasks on the tracer thread (inline when already there): where work that follows a
     * debugger's continue runs (the kernel's {@code Platform.continuationExecutor}), so that it may call ptrace.
     */
    public Executor executor() {
        return task -> submit(pt -> {
            task.run();
            return null;
        });
    }

    /**
     * Launches {@code argv} under the tracer. Completes when the program has exec'ed (stopped at its exec stop), or
     * with an error value: ENOENT/EACCES for a missing or non-executable program (checked before spawning), or the
     * exec failure the launch shell reported (exit 126/127).
     */
    public CompletableFuture<SysResult<Launched>> launch(List<String> argv, LaunchOptions launchOptions) {
        List<String> args = List.copyOf(argv);
        return onTracer(() -> launches.start(args, launchOptions));
    }

    /** {@link #launch(List, LaunchOptions)} with {@link LaunchOptions#defaults()}. */
    public CompletableFuture<SysResult<Launched>> launch(List<String> argv) {
        return launch(argv, LaunchOptions.defaults());
    }

    /**
     * Attaches to a running process: seizes every thread (re-reading /proc/pid/task until the set stops growing) and
     * interrupts each one as it is seized. Completes when every thread is stopped. The process is detached (not
     * killed) on close unless {@link #setKillOnClose} says otherwise.
     */
    public CompletableFuture<SysResult<Attached>> attach(int pid) {
        return attach(pid, PtraceConstants.DEFAULT_OPTIONS);
    }

    /** {@link #attach(int)} with explicit PTRACE_O_* options. */
    public CompletableFuture<SysResult<Attached>> attach(int pid, long ptraceOptions) {
        return onTracer(() -> attacher.attach(pid, ptraceOptions));
    }

    /**
     * All-stop: interrupts every running thread of {@code pid} and completes, with every tid, when all are in a
     * ptrace-stop. Events of the process that arrive meanwhile are delivered right after the completion.
     */
    public CompletableFuture<SysResult<List<Integer>>> stopProcess(int pid) {
        return onTracer(() -> {
            TracedProcess p = table.procs.get(pid);
            if (p == null || p.prelude) {
                return CompletableFuture.completedFuture(
                        SysResult.err(Errno.ESRCH, "stopProcess " + pid + ": not traced"));
            }
            return allStop.request(p, false, null);
        });
    }

    /**
     * Detaches from {@code pid}: stops every thread, then PTRACE_DETACH each one, re-injecting the signal of a
     * signal-delivery-stop it is in. (Removing breakpoints and debug registers first is the caller's job.)
     */
    public CompletableFuture<SysResult<Void>> detach(int pid) {
        return onTracer(() -> detachOrKill.detach(pid, null));
    }

    /**
     * {@link #detach(int)} with the caller deciding, per thread, what happens right before its PTRACE_DETACH: the
     * function runs on the tracer thread while the thread is stopped (it may restore debug registers, for example)
     * and returns the signal to detach it with (0 for none); it gets the thread id and the signal {@link #detach(int)}
     * would use (that of the signal-delivery-stop the thread is in, else 0).
     */
    public CompletableFuture<SysResult<Void>> detach(int pid, java.util.function.IntBinaryOperator beforeDetach) {
        return onTracer(() -> detachOrKill.detach(pid, beforeDetach));
    }

    /**
     * Kills {@code pid} with SIGKILL. Its remaining stops are resumed internally; its {@link TraceEvent.Exited} /
     * {@link TraceEvent.Killed} events are still delivered.
     */
    public CompletableFuture<SysResult<Void>> kill(int pid) {
        return onTracer(() -> CompletableFuture.completedFuture(detachOrKill.kill(pid)));
    }

    /**
     * Whether {@code pid} dies with its tracer: {@link #close()} kills it (true) or detaches from it (false) under the
     * PER_PROCESS policy, and PTRACE_O_EXITKILL is set or cleared to match, so a tracer thread that ends without
     * close (the JVM killed) leaves it the same way. Linux takes PTRACE_SETOPTIONS only from a stopped thread, and
     * each thread has its own options: stopped threads get the new ones now, running ones at their next stop.
     */
    public CompletableFuture<SysResult<Void>> setKillOnClose(int pid, boolean kill) {
        return submit(pt -> detachOrKill.setKillOnClose(pid, kill));
    }

    /** The traced processes (snapshot). */
    public Set<Integer> processes() {
        return new TreeSet<>(table.procs.keySet());
    }

    /** True when the tracer last saw {@code tid} stop and nothing resumed it since. */
    public boolean isStopped(int tid) {
        TracedThread t = table.threads.get(tid);
        return t != null && t.stopped;
    }

    /** Every pid and tid this tracer ever traced or spawned, including the helper (for leak checks). */
    public Set<Integer> everSeen() {
        return Set.copyOf(table.everSeen);
    }

    /**
     * Kills or detaches every tracee (see {@link TracerOptions.ClosePolicy}), reaps what it spawned, stops the helper
     * and ends the tracer thread. Idempotent. On the tracer thread (from the listener) it shuts down inline and the
     * thread ends after the listener returns.
     */
    @Override
    public void close() {
        if (isTracerThread()) {
            shutdown();
            return;
        }
        if (!closeRequested) {
            closeRequested = true;
            commands.add(this::shutdown, e -> { });
        }
        try {
            terminated.get(options.closeTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "tracer thread did not end in time");
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "tracer ended abnormally", e);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Submission

    private <T> CompletableFuture<T> onTracer(java.util.function.Supplier<CompletableFuture<T>> op) {
        CompletableFuture<T> out = new CompletableFuture<>();
        Runnable r = () -> {
            try {
                op.get().whenComplete((v, e) -> {
                    if (e != null) {
                        out.completeExceptionally(e);
                    } else {
                        out.complete(v);
                    }
                });
            } catch (Throwable e) {
                out.completeExceptionally(e);
            }
        };
        if (isTracerThread()) {
            r.run();
            return out;
        }
        if (closeRequested) {
            out.completeExceptionally(new IllegalStateException("tracer closed"));
            return out;
        }
        commands.add(r, out::completeExceptionally);
        return out;
    }

    private void startHelper() {
        int pid = helper.start();
        if (pid > 0) {
            table.everSeen.add(pid);
        }
    }

    /** The wake-up helper is gone: a new one, unless the tracer is closing. */
    private void restartHelper() {
        if (!shuttingDown) {
            startHelper();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // The loop

    private void loop() {
        try {
            table.tracerTid = Posix.gettid();
            started.complete(null);
            startHelper();
            while (running) {
                runCommands();
                if (!running) {
                    break;
                }
                if (commands.isEmpty() && table.everyTraceeStopped() && commands.parkForCommand()) {
                    continue;
                }
                boolean block = commands.isEmpty() && helper.pid() > 0;
                try {
                    if (!waiter.waitOnce(block) && !block && commands.isEmpty()) {
                        // No helper to wake us: poll gently.
                        LockSupport.parkNanos(StatusWaiter.MAX_BACKOFF_NANOS);
                    }
                } catch (RuntimeException e) {
                    // The status was consumed before it was decoded, so this cannot repeat on the same status.
                    LOG.log(System.Logger.Level.ERROR, "tracer failed to handle a status", e);
                }
            }
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.ERROR, "tracer thread failed; PTRACE_O_EXITKILL kills the tracees", e);
            started.completeExceptionally(e);
        } finally {
            running = false;
            closeRequested = true;
            CommandQueue.Command c;
            while ((c = commands.poll()) != null) {
                c.refuse().accept(new IllegalStateException("tracer closed"));
            }
            terminated.complete(null);
        }
    }

    private void runCommands() {
        CommandQueue.Command c;
        while (running && (c = commands.poll()) != null) {
            if (shuttingDown) {
                c.refuse().accept(new IllegalStateException("tracer closed"));
                continue;
            }
            try {
                c.body().run();
            } catch (Throwable e) {
                LOG.log(System.Logger.Level.WARNING, "tracer command failed", e);
            }
        }
    }

    /** Hands an event to the listener, unless the tracer is closing. */
    private void deliver(TraceEvent ev) {
        if (shuttingDown) {
            return;
        }
        try {
            listener.onEvent(ev, ptrace);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // A failing listener must not take the tracer (and, through EXITKILL, every tracee) down with it.
            LOG.log(System.Logger.Level.WARNING, "trace listener failed on " + ev, e);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Close

    private void shutdown() {
        if (shuttingDown) {
            return;
        }
        closeRequested = true;
        shuttingDown = true;
        for (TracedProcess p : List.copyOf(table.procs.values())) {
            boolean kill = switch (options.closePolicy()) {
                case KILL_ALL -> true;
                case DETACH_ALL -> false;
                case PER_PROCESS -> p.killOnClose;
            } || p.prelude;
            if (p.prelude) {
                launches.fail(p, SysResult.err(Errno.ESRCH, "launch: the tracer was closed"));
            }
            if (kill) {
                detachOrKill.kill(p.pid);
            } else {
                detachOrKill.detach(p.pid, null);
            }
        }
        long deadline = System.nanoTime() + options.closeTimeout().toNanos();
        long pause = StatusWaiter.MIN_BACKOFF_NANOS;
        while (!table.procs.isEmpty() && System.nanoTime() < deadline) {
            if (waiter.waitOnce(false)) {
                pause = StatusWaiter.MIN_BACKOFF_NANOS;
            } else {
                LockSupport.parkNanos(pause);
                pause = Math.min(pause * 2, StatusWaiter.MAX_BACKOFF_NANOS);
            }
        }
        if (!table.procs.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "tracer close: still traced after the timeout: " + table.procs.keySet()
                    + " (PTRACE_O_EXITKILL kills them when the tracer thread ends)");
        }
        allStop.failAll();
        helper.stop();
        for (int pid : List.copyOf(table.detachedChildren)) {
            SysResult<Optional<Posix.Waited>> w = Posix.waitpid(pid, StatusWaiter.CONSUME_FLAGS);
            if (w instanceof SysResult.Ok<Optional<Posix.Waited>>(Optional<Posix.Waited> waited)
                    && waited.isPresent()) {
                table.detachedChildren.remove(pid);
            }
        }
        if (!table.detachedChildren.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "tracer close: detached children still running (the JVM will not "
                    + "reap them): " + table.detachedChildren);
        }
        running = false;
    }
}
