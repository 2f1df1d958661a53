package dev.debugport.linux.tracer;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The work other threads hand the tracer thread, and how they wake it to run it ({@link Tracer}, "How it waits without
 * spinning"): a submitter queues a command, then unparks the tracer if it waits parked for commands (every tracee
 * stopped, {@link #parkForCommand}), else wakes it through the wake-up helper, whose stop ends the tracer's blocking
 * waitid. The command is queued before {@link #parked} is read, and the tracer writes that flag before it looks at the
 * queue, so one of the two always sees the other: no command waits unseen.
 */
final class CommandQueue {
    /** How long the tracer waits parked for a command while every tracee is stopped ({@link #parkForCommand}). */
    private static final long PARK_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** Work for the tracer thread, and how to fail it if the tracer ends first. */
    record Command(Runnable body, Consumer<Throwable> refuse) {
    }

    private final ConcurrentLinkedQueue<Command> commands = new ConcurrentLinkedQueue<>();
    private final Thread tracer;
    private final WakeupHelper helper;
    /** The tracer is in {@link #parkForCommand}: a submitter unparks it instead of signalling the helper. */
    private volatile boolean parked;

    CommandQueue(Thread tracer, WakeupHelper helper) {
        this.tracer = tracer;
        this.helper = helper;
    }

    /** Any thread: queues {@code body} ({@code refuse} fails it if the tracer ends first) and wakes the tracer. */
    void add(Runnable body, Consumer<Throwable> refuse) {
        commands.add(new Command(body, refuse));
        if (parked) {
            LockSupport.unpark(tracer);
        } else {
            helper.wake();
        }
    }

    boolean isEmpty() {
        return commands.isEmpty();
    }

    /** Tracer thread: the oldest queued command, or null. */
    Command poll() {
        return commands.poll();
    }

    /**
     * Tracer thread: waits up to {@link #PARK_LIMIT_NANOS} for a command, parked. Called while every tracee is
     * stopped: then only a command (or a SIGKILL from outside) can give the tracer work, and a debugger's continue
     * usually comes within microseconds. Parked, the tracer is woken by one unpark (one thread switch) where the
     * blocking waitid needs the wake-up helper (a signal delivery and two switches): on the int3 loop of bench/ this
     * halves the time per event together with {@code WaitService}'s spin. After the limit the loop goes back to
     * waitid, so an idle session sleeps for free and a tracee killed from outside is seen at once.
     *
     * @return whether a command came
     */
    boolean parkForCommand() {
        parked = true;
        try {
            long deadline = System.nanoTime() + PARK_LIMIT_NANOS;
            while (commands.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
            }
            return true;
        } finally {
            parked = false;
        }
    }
}
