package dev.debugport.bench;

import dev.debugport.dbgk.Dbgk;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EThread;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The debugport side of bench/int3-loop, bench/breakpoint-loop and bench/attach-many: a plain Win32 debug loop
 * (WaitForDebugEvent/ContinueDebugEvent through the public Kernel32 API) over real Linux processes on LinuxPlatform.
 * Prints machine-readable lines "RESULT key=value ..." that the scripts parse. Not a test.
 *
 * <pre>
 *   int3   PROGRAM N         run PROGRAM N under DEBUG_ONLY_THIS_PROCESS, DBG_CONTINUE every breakpoint
 *   bp     PROGRAM N ADDR    plant 0xCC at ADDR (hex, non-PIE), hit: restore + rip-1 + TF, step: re-insert
 *   attach PID [TIMES]       DebugActiveProcess, continue every event until the break-in, detach; TIMES times in
 *                            this JVM (default 1), one RESULT line each: the first in a fresh JVM, the others in a
 *                            JVM that has run the same code before (a long debugging session)
 * </pre>
 */
public final class NativeBench {
    private static final int BREAKPOINT = NtStatus.STATUS_BREAKPOINT.value();
    private static final int SINGLE_STEP = NtStatus.STATUS_SINGLE_STEP.value();

    private final LinuxPlatform platform = new LinuxPlatform();
    private final Kernel kernel = new Kernel(platform);
    private final Kernel32 k32;
    private final UserPointer<DebugEvent> event = UserPointer.empty();

    private NativeBench() {
        platform.attach(kernel);
        Dbgk dbgk = Dbgk.initialize(kernel);
        EThread debugger = platform.createHostThread("bench-debugger");
        k32 = new Kernel32(dbgk, debugger);
        k32.dbgUi().connectToDbg();
    }

    public static void main(String[] args) {
        NativeBench b = new NativeBench();
        try {
            switch (args[0]) {
                case "int3" -> b.int3(args[1], Long.parseLong(args[2]));
                case "bp" -> b.bp(args[1], Long.parseLong(args[2]), Long.parseUnsignedLong(args[3].replace("0x", ""), 16));
                case "attach" -> {
                    int times = args.length > 2 ? Integer.parseInt(args[2]) : 1;
                    for (int i = 0; i < times; i++) {
                        b.attach(Integer.parseInt(args[1]));
                    }
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
        } finally {
            b.platform.close();
        }
        System.exit(0);
    }

    private DebugEvent next() {
        if (!k32.waitForDebugEventEx(event, 60_000)) {
            throw new IllegalStateException("no debug event in 60 s, Win32 error " + k32.getLastError());
        }
        return event.get();
    }

    private void resume(DebugEvent e, NtStatus status) {
        if (!k32.continueDebugEvent(e.processId(), e.threadId(), status)) {
            throw new IllegalStateException("ContinueDebugEvent failed: " + k32.getLastError());
        }
    }

    private static int code(DebugEvent e) {
        return e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT
                ? ((DebugEventInfo.ExceptionDebugInfo) e.info()).exceptionRecord().code() : 0;
    }

    private ProcessInformation launch(String program, long n) {
        SpawnOptions quiet = SpawnOptions.defaults().withStdin(Stdio.NULL).withStdout(Stdio.NULL).withStderr(Stdio.NULL);
        UserPointer<ProcessInformation> info = UserPointer.empty();
        if (!k32.createProcess(new LinuxProgram(List.of(program, Long.toString(n)), quiet),
                DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS, info)) {
            throw new IllegalStateException("CreateProcess failed: " + k32.getLastError());
        }
        return info.get();
    }

    /** Times from CreateProcess to the EXIT_PROCESS event (the C reference times fork to exit the same way). */
    private void int3(String program, long n) {
        long t0 = System.nanoTime();
        ProcessInformation info = launch(program, n);
        long breakpoints = 0;
        long events = 0;
        int exitCode;
        while (true) {
            DebugEvent e = next();
            events++;
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                exitCode = ((DebugEventInfo.ExitProcessDebugInfo) e.info()).exitCode();
                resume(e, NtStatus.DBG_CONTINUE);
                break;
            }
            int c = code(e);
            if (c == BREAKPOINT) {
                breakpoints++;
            }
            resume(e, c == 0 || c == BREAKPOINT || c == SINGLE_STEP ? NtStatus.DBG_CONTINUE : NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        }
        long t1 = System.nanoTime();
        k32.closeHandle(info.process());
        k32.closeHandle(info.thread());
        System.out.printf("RESULT ns=%d breakpoints=%d events=%d exit=%d%n", t1 - t0, breakpoints, events, exitCode);
    }

    private void bp(String program, long n, long address) {
        long t0 = System.nanoTime();
        ProcessInformation info = launch(program, n);
        Handle process = info.process();
        byte[] original = new byte[1];
        byte[] cc = {(byte) 0xCC};
        Map<Integer, Handle> threads = new HashMap<>();
        long hits = 0;
        long steps = 0;
        int exitCode;
        boolean planted = false;
        while (true) {
            DebugEvent e = next();
            if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                exitCode = ((DebugEventInfo.ExitProcessDebugInfo) e.info()).exitCode();
                resume(e, NtStatus.DBG_CONTINUE);
                break;
            }
            if (e.code() == DebugEventCode.CREATE_PROCESS_DEBUG_EVENT && !planted) {
                // The image is mapped (non-PIE, fixed address): save the byte and plant the int3.
                check(k32.readProcessMemory(process, address, original, 1, null), "ReadProcessMemory");
                check(k32.writeProcessMemory(process, address, cc, 1, null), "WriteProcessMemory");
                planted = true;
            }
            int c = code(e);
            NtStatus status = NtStatus.DBG_CONTINUE;
            if (c == BREAKPOINT && ((DebugEventInfo.ExceptionDebugInfo) e.info()).exceptionRecord().address() == address) {
                hits++;
                check(k32.writeProcessMemory(process, address, original, 1, null), "WriteProcessMemory");
                Handle t = threads.computeIfAbsent(e.threadId(), tid -> k32.openThread(AccessMask.THREAD_ALL_ACCESS, tid));
                UserPointer<Amd64Context> ctx = UserPointer.empty();
                check(k32.getThreadContext(t, ctx), "GetThreadContext");
                check(k32.setThreadContext(t, ctx.get().withRip(address).withTrapFlag(true)), "SetThreadContext");
            } else if (c == SINGLE_STEP) {
                steps++;
                check(k32.writeProcessMemory(process, address, cc, 1, null), "WriteProcessMemory");
            } else if (c != 0 && c != BREAKPOINT) {
                status = NtStatus.DBG_EXCEPTION_NOT_HANDLED;
            }
            resume(e, status);
        }
        long t1 = System.nanoTime();
        threads.values().forEach(k32::closeHandle);
        k32.closeHandle(info.process());
        k32.closeHandle(info.thread());
        System.out.printf("RESULT ns=%d hits=%d steps=%d exit=%d%n", t1 - t0, hits, steps, exitCode);
    }

    /**
     * Times DebugActiveProcess until the break-in breakpoint was continued (every fake event consumed); apart, how
     * long the DebugActiveProcess call itself took (seizing and stopping every thread, the fake messages queued).
     */
    private void attach(int pid) {
        long t0 = System.nanoTime();
        check(k32.debugActiveProcess(pid), "DebugActiveProcess");
        long attached = System.nanoTime();
        Map<DebugEventCode, Integer> counts = new java.util.EnumMap<>(DebugEventCode.class);
        while (true) {
            DebugEvent e = next();
            counts.merge(e.code(), 1, Integer::sum);
            switch (e.info()) {
                case DebugEventInfo.CreateProcessDebugInfo cp -> {
                    k32.closeHandle(cp.file());
                }
                case DebugEventInfo.LoadDllDebugInfo ld -> {
                    k32.closeHandle(ld.file());
                }
                default -> { }
            }
            resume(e, NtStatus.DBG_CONTINUE);
            if (code(e) == BREAKPOINT) {
                break;
            }
        }
        long t1 = System.nanoTime();
        check(k32.debugActiveProcessStop(pid), "DebugActiveProcessStop");
        long t2 = System.nanoTime();
        System.out.printf("RESULT ns=%d attach_call_ns=%d detach_ns=%d threads=%d dlls=%d%n", t1 - t0, attached - t0, t2 - t1,
                counts.getOrDefault(DebugEventCode.CREATE_THREAD_DEBUG_EVENT, 0),
                counts.getOrDefault(DebugEventCode.LOAD_DLL_DEBUG_EVENT, 0));
    }

    private void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what + " failed: Win32 error " + k32.getLastError());
        }
    }
}
