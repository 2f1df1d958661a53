package dev.debugport.sim.programs;

import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.ExceptionDisposition;
import dev.debugport.sim.GuestHandler;
import dev.debugport.sim.SimProgram;
import dev.debugport.sim.memory.PageProtection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Deterministic demo programs for the CLI and for tests: each does the same things in the same order on every run
 * (no timing, no randomness), so the debug events a debugger sees are reproducible.
 */
public final class BuiltInPrograms {
    /** The address {@link #crash()} reads: unmapped in every sim process. */
    public static final long CRASH_ADDRESS = 0x10;
    /** The exit codes of {@link #modules()}: its two worker threads, then its main thread (the process's code). */
    public static final int MODULES_WORKER1_EXIT = 0x11;
    public static final int MODULES_WORKER2_EXIT = 0x22;
    public static final int MODULES_MAIN_EXIT = 0x33;
    /** The exception {@link #strings()} raises and handles itself. */
    public static final int STRINGS_EXCEPTION_CODE = 0xE0000001;
    /** The RIP event strings.exe reports: ERROR_INVALID_HANDLE, SLE_ERROR (1). */
    public static final int STRINGS_RIP_ERROR = 6;
    public static final int STRINGS_RIP_TYPE = 1;
    /** {@link #loop()} signals this once it runs (a debugger may attach from then on)... */
    public static final String LOOP_READY_SIGNAL = "loop.ready";
    /** ...and exits (with 0) once this is signalled. */
    public static final String LOOP_EXIT_SIGNAL = "loop.exit";

    private BuiltInPrograms() {
    }

    /**
     * {@code crash.exe}: a worker thread reads {@link #CRASH_ADDRESS} with no handler. The access violation goes
     * first chance, then second chance, and the process dies with 0xC0000005 (the main thread, waiting for the
     * worker, is unwound by the termination).
     */
    public static SimProgram crash() {
        return SimProgram.of("crash", g -> {
            EThread worker = g.createThread(w -> {
                w.read(CRASH_ADDRESS, 4);
                w.exitThread(1);
            });
            g.waitForThread(worker);
        });
    }

    /**
     * {@code modules.exe} (imports user32.dll): loads alpha.dll and beta.dll, runs two worker threads one after the
     * other (exit codes 0x11 and 0x22), unloads beta.dll, and exits its main thread with 0x33.
     */
    public static SimProgram modules() {
        return new SimProgram("modules", ProcessTraits.NATIVE, List.of("user32.dll"), g -> {
            g.loadLibrary("alpha.dll");
            long beta = g.loadLibrary("beta.dll");
            g.waitForThread(g.createThread(w -> w.exitThread(MODULES_WORKER1_EXIT)));
            g.waitForThread(g.createThread(w -> w.exitThread(MODULES_WORKER2_EXIT)));
            g.freeLibrary(beta);
            g.exitThread(MODULES_MAIN_EXIT);
        });
    }

    /**
     * {@code strings.exe}: OutputDebugStringA, OutputDebugStringW, a RIP event ({@link #STRINGS_RIP_ERROR},
     * {@link #STRINGS_RIP_TYPE}), then raises {@link #STRINGS_EXCEPTION_CODE} with two parameters and handles it in
     * its own {@code __except}; exits with 0.
     */
    public static SimProgram strings() {
        return SimProgram.of("strings", g -> {
            g.outputDebugStringA("Hello from strings.exe (ANSI)");
            g.outputDebugStringW("Hello from strings.exe (wide)");
            g.ripEvent(STRINGS_RIP_ERROR, STRINGS_RIP_TYPE);
            g.raiseException(STRINGS_EXCEPTION_CODE, 0, new long[] {0x1234, 0x5678}, GuestHandler.EXECUTE_HANDLER);
        });
    }

    /**
     * {@code loop.exe} (imports user32.dll): starts a worker, loads gamma.dll, signals {@link #LOOP_READY_SIGNAL},
     * and then both threads idle (no CPU) until {@link #LOOP_EXIT_SIGNAL}; exits with 0. A debugger attaches while it
     * idles.
     */
    public static SimProgram loop() {
        return new SimProgram("loop", ProcessTraits.NATIVE, List.of("user32.dll"), g -> {
            EThread worker = g.createThread(w -> w.waitFor(LOOP_EXIT_SIGNAL));
            g.loadLibrary("gamma.dll");
            g.signal(LOOP_READY_SIGNAL);
            g.waitFor(LOOP_EXIT_SIGNAL);
            g.waitForThread(worker);
        });
    }

    /**
     * {@code breakpoint.exe}: runs {@code nop; int3; nop; nop; ret} and then, with EFLAGS.TF set by itself,
     * {@code nop; nop; ret}. Its own handler continues every breakpoint and single step it sees; the exit code is
     * how many it saw: 2 with no debugger, 0 under a debugger that handles both. A debugger that sets TF at the int3
     * sees a single step at the next instruction.
     */
    public static SimProgram breakpoint() {
        return SimProgram.of("breakpoint", g -> {
            long code = g.allocate(0x1000, PageProtection.PAGE_EXECUTE_READWRITE);
            g.write(code, new byte[] {(byte) 0x90, (byte) 0xCC, (byte) 0x90, (byte) 0x90, (byte) 0xC3});
            int[] seen = {0};
            GuestHandler handler = p -> {
                int c = p.record().code();
                if (c == NtStatus.STATUS_BREAKPOINT.value() || c == NtStatus.STATUS_SINGLE_STEP.value()) {
                    seen[0]++;
                    if (c == NtStatus.STATUS_BREAKPOINT.value()) {
                        // Handlers see Rip on the int3 (KiDispatchException backs it up): step over it.
                        p.setContext(p.context().withRip(p.context().rip() + 1));
                    }
                    return ExceptionDisposition.CONTINUE_EXECUTION;
                }
                return ExceptionDisposition.CONTINUE_SEARCH;
            };
            g.tryExcept(x -> x.execute(code, 64), handler);
            g.setContext(g.context().withTrapFlag(true));
            g.tryExcept(x -> x.execute(code + 2, 64), handler);
            g.exitThread(seen[0]);
        });
    }

    /** Every built-in program by name, in name order. */
    public static Map<String, SimProgram> all() {
        Map<String, SimProgram> all = new LinkedHashMap<>();
        for (SimProgram p : List.of(breakpoint(), crash(), loop(), modules(), strings())) {
            all.put(p.name(), p);
        }
        return all;
    }

    /** A built-in program by name ("crash" or "crash.exe", any case). */
    public static Optional<SimProgram> byName(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.endsWith(".exe")) {
            key = key.substring(0, key.length() - 4);
        }
        return Optional.ofNullable(all().get(key));
    }
}
