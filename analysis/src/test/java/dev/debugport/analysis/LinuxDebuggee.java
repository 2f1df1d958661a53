package dev.debugport.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.debugport.analysis.symbols.ProcessSymbols;
import dev.debugport.dbgk.Dbgk;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.UserPointer;
import dev.debugport.linux.platform.LinuxPlatform;
import dev.debugport.linux.platform.LinuxProgram;
import dev.debugport.linux.ptrace.SpawnOptions;
import dev.debugport.linux.ptrace.Stdio;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Linux process under the NT debugger (LinuxPlatform, Dbgk and the Win32 API, as cdb would drive it), with
 * the modules it reported fed to a {@link ProcessSymbols} and its memory read through ReadProcessMemory. Every wait
 * has a timeout; {@link #close()} runs the process to its end and closes the platform, so nothing is left traced.
 */
public final class LinuxDebuggee implements AutoCloseable {
    private static final int TIMEOUT_MS = 20_000;

    private final LinuxPlatform platform = new LinuxPlatform();
    private final Kernel32 k32;
    private final ProcessInformation info;
    private final ProcessSymbols symbols;
    private final MemoryReader memory;
    private Handle process;
    /** The event received and not yet continued (the process is stopped while there is one). */
    private DebugEvent held;
    private boolean exited;

    private LinuxDebuggee(Path program) {
        Kernel kernel = new Kernel(platform);
        platform.attach(kernel);
        Dbgk dbgk = Dbgk.initialize(kernel);
        k32 = new Kernel32(dbgk, platform.createHostThread("debugger"));
        SpawnOptions quiet = SpawnOptions.defaults().withStdin(Stdio.NULL).withStdout(Stdio.NULL).withStderr(Stdio.NULL);
        UserPointer<ProcessInformation> out = UserPointer.empty();
        assertTrue(k32.createProcess(new LinuxProgram(List.of(program.toString()), quiet), DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS, out),
                () -> "CreateProcess failed, error " + k32.getLastError());
        info = out.get();
        memory = (address, buffer, offset, length) -> {
            byte[] b = new byte[length];
            UserPointer<Long> got = UserPointer.of(0L);
            k32.readProcessMemory(process, address, b, length, got);
            int n = got.get().intValue();
            System.arraycopy(b, 0, buffer, offset, n);
            return n;
        };
        symbols = new ProcessSymbols(memory);
    }

    /** Launches {@code program} (a path) under the debugger, stopped at its first event. */
    public static LinuxDebuggee launch(Path program) {
        return new LinuxDebuggee(program);
    }

    public ProcessSymbols symbols() {
        return symbols;
    }

    public MemoryReader memory() {
        return memory;
    }

    /**
     * Continues events (recording modules) until a breakpoint exception inside the function {@code symbol}; returns
     * it, left uncontinued until the next call or {@link #close()}.
     */
    public DebugEvent runToBreakpointIn(String symbol) {
        resumeHeld();
        while (true) {
            DebugEvent e = next();
            switch (e.info()) {
                case DebugEventInfo.CreateProcessDebugInfo cp -> {
                    process = cp.process();
                    loaded(cp.file(), cp.baseOfImage());
                }
                case DebugEventInfo.LoadDllDebugInfo ld -> loaded(ld.file(), ld.baseOfDll());
                case DebugEventInfo.UnloadDllDebugInfo ud -> symbols.moduleUnloaded(ud.baseOfDll());
                case DebugEventInfo.ExceptionDebugInfo ex -> {
                    boolean breakpoint = ex.exceptionRecord().code() == NtStatus.STATUS_BREAKPOINT.value();
                    if (breakpoint && symbols.symbolAt(ex.exceptionRecord().address()).map(Symbol::name).orElse("").equals(symbol)) {
                        return e;
                    }
                    resume(e, breakpoint ? NtStatus.DBG_CONTINUE : NtStatus.DBG_EXCEPTION_NOT_HANDLED);
                    continue;
                }
                case DebugEventInfo.ExitProcessDebugInfo x -> {
                    exited = true;
                    resume(e, NtStatus.DBG_CONTINUE);
                    fail("the process ended before a breakpoint in " + symbol);
                }
                default -> { }
            }
            resume(e, NtStatus.DBG_CONTINUE);
        }
    }

    /** GetThreadContext of thread {@code tid}. */
    public Amd64Context context(int tid) {
        Handle h = k32.openThread(AccessMask.THREAD_ALL_ACCESS, tid);
        UserPointer<Amd64Context> ctx = UserPointer.empty();
        assertTrue(k32.getThreadContext(h, ctx), () -> "GetThreadContext failed: " + k32.getLastError());
        k32.closeHandle(h);
        return ctx.get();
    }

    private void loaded(Handle file, long base) {
        String path = k32.getFinalPathNameByHandle(file);
        k32.closeHandle(file);
        symbols.moduleLoaded(new ModuleImage(ModuleImage.nameFor(path), path, base, mappedEnd(path)));
    }

    /** One past the highest mapping of {@code path} in the process (/proc/PID/maps names the file by its real path). */
    private long mappedEnd(String path) {
        try {
            String real = Path.of(path).toRealPath().toString();
            long end = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + info.processId() + "/maps"))) {
                if (line.endsWith(" " + real)) {
                    String range = line.substring(0, line.indexOf(' '));
                    end = Math.max(end, Long.parseUnsignedLong(range.substring(range.indexOf('-') + 1), 16));
                }
            }
            return end;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private DebugEvent next() {
        UserPointer<DebugEvent> e = UserPointer.empty();
        if (!k32.waitForDebugEventEx(e, TIMEOUT_MS)) {
            fail("no debug event within " + TIMEOUT_MS + " ms (Win32 error " + k32.getLastError() + ")");
        }
        held = e.get();
        return e.get();
    }

    private void resume(DebugEvent e, NtStatus status) {
        held = null;
        assertTrue(k32.continueDebugEvent(e.processId(), e.threadId(), status), () -> "ContinueDebugEvent failed for " + e);
    }

    private void resumeHeld() {
        if (held != null) {
            resume(held, NtStatus.DBG_CONTINUE);
        }
    }

    /** Ends the process (TerminateProcess), continues its remaining events up to EXIT_PROCESS, closes the platform. */
    @Override
    public void close() {
        try {
            if (!exited) {
                resumeHeld();
                Handle h = k32.openProcess(AccessMask.PROCESS_ALL_ACCESS, info.processId());
                k32.terminateProcess(h, 1);
                k32.closeHandle(h);
                while (true) {
                    DebugEvent e = next();
                    resume(e, NtStatus.DBG_CONTINUE);
                    if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT && e.processId() == info.processId()) {
                        break;
                    }
                }
            }
        } finally {
            platform.close();
        }
    }
}
