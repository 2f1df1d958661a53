package dev.debugport.cli;

import dev.debugport.dbgk.Dbgk;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.linux.platform.LinuxPlatform;
import dev.debugport.linux.ptrace.WaitStatus;
import dev.debugport.win32.Kernel32;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The machine behind `debugport run` and `debugport attach`: a kernel on the Linux platform with Dbgk, one debugger
 * (a host thread of the JVM's process, with its Kernel32), and the JVM's SIGINT/SIGTERM turned into a stop request
 * the debug loop sees between two events (instead of the JVM's default exit, which would take the tracer thread
 * and, through PTRACE_O_EXITKILL, every debuggee with it).
 */
final class LinuxSession implements AutoCloseable {
    final LinuxPlatform platform;
    final Kernel kernel;
    final Dbgk dbgk;
    final EThread debugger;
    final Kernel32 k32;
    private final AtomicInteger stopSignal = new AtomicInteger();
    private final List<Runnable> restore = new ArrayList<>();

    /**
     * @param stopOn signals that ask the session to stop ("INT", "TERM")
     * @param ignore signals the debugger itself ignores (a Ctrl-C meant for the program it runs)
     */
    LinuxSession(Set<String> stopOn, Set<String> ignore) {
        // The handlers come first: they need no libc binding, so at start-up they are set while Main's other thread
        // is still linking the bindings that the platform's tracer waits for.
        for (String name : stopOn) {
            handle(name, number -> stopSignal.compareAndSet(0, number));
        }
        for (String name : ignore) {
            handle(name, number -> { });
        }
        try {
            platform = new LinuxPlatform();
            kernel = new Kernel(platform);
            platform.attach(kernel);
            dbgk = Dbgk.initialize(kernel);
            debugger = platform.createHostThread("debugport");
            k32 = new Kernel32(dbgk, debugger);
        } catch (RuntimeException | Error e) {
            restore.forEach(Runnable::run);
            throw e;
        }
    }

    /**
     * Installs a JVM signal handler through sun.misc.Signal (jdk.unsupported), looked up reflectively so that the
     * build needs no proprietary API; if it is not there, the JVM's default handling stays.
     */
    private void handle(String name, java.util.function.IntConsumer action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            java.lang.reflect.Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            java.lang.reflect.Method number = signalClass.getMethod("getNumber");
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            Object handler = java.lang.reflect.Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            action.accept((int) number.invoke(args[0]));
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "debugport signal handler";
                    });
            Object old = handle.invoke(null, signal, handler);
            restore.add(() -> {
                try {
                    handle.invoke(null, signal, old);
                } catch (ReflectiveOperationException e) {
                    // leave ours: the session is over
                }
            });
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // not available here: the JVM's default stays
        }
    }

    /** Ctrl-C (SIGINT) runs {@code action} (the interactive debugger's break-in request). */
    void onInterrupt(Runnable action) {
        handle("INT", number -> action.run());
    }

    boolean stopRequested() {
        return stopSignal.get() != 0;
    }

    /** The signal that asked to stop (0 if none). */
    int stopSignal() {
        return stopSignal.get();
    }

    /** Ends the debugger thread: its DbgUi handle closes, which kills or detaches the debuggees (kill-on-exit). */
    void endDebugger() {
        if (!debugger.hasExited()) {
            platform.exitHostThread(debugger, 0);
        }
    }

    /** How a Linux process ended, waiting a little for it to be reaped after its EXIT_PROCESS. */
    Optional<WaitStatus> linuxExit(long pid) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<WaitStatus> st = platform.linuxExitStatus(pid);
            if (st.isPresent()) {
                return st;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        return Optional.empty();
    }

    /** The shell-style exit status of a Linux end: the exit code, or 128 + the killing signal. */
    static int shellStatus(WaitStatus st) {
        return switch (st) {
            case WaitStatus.Exited x -> x.code();
            case WaitStatus.Killed k -> 128 + k.signal();
            default -> 1;
        };
    }

    @Override
    public void close() {
        try {
            endDebugger();
        } finally {
            platform.close();
            restore.forEach(Runnable::run);
        }
    }
}
