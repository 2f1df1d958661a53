package dev.debugport.cli.session;

import dev.debugport.cli.output.EventPrinter;
import dev.debugport.cli.output.EventRecord;
import dev.debugport.debugger.events.ExceptionNames;
import dev.debugport.debugger.target.DebuggeeMemory;
import dev.debugport.kernel.UserPointer;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.win32.Kernel32;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A non-interactive Win32 debug loop (WaitForDebugEvent / ContinueDebugEvent), the same on every platform: prints
 * each event, continues breakpoints, single steps and debug strings as handled and every other exception as not
 * handled (so an unhandled crash goes to second chance and ends the process, as under cdb with `g`), closes the
 * image file handles it receives, and runs until every debuggee it has seen has exited.
 */
public final class DebugLoop {
    /** How often a waiting loop looks at its stop request. */
    public static final Duration STOP_POLL = Duration.ofMillis(200);

    private final Kernel32 k32;
    private final EventPrinter printer;
    private final DebuggeeMemory memory;
    private final ModuleTable modules = new ModuleTable();
    private final Map<Long, Handle> processHandles = new HashMap<>();
    private Map<Integer, Integer> exitCodes = new LinkedHashMap<>();
    private int live;
    private int created;

    public DebugLoop(Kernel32 k32, EventPrinter printer) {
        this.k32 = k32;
        this.printer = printer;
        this.memory = new DebuggeeMemory(k32);
    }

    /**
     * Runs until {@code expectedProcesses} more processes were reported and every debuggee exited, or until no
     * event arrives for {@code idleLimit}.
     *
     * @return the exit code of every process that exited during this run, by process id (in exit order)
     * @throws IllegalStateException if the wait fails or times out (the message says why)
     */
    public Map<Integer, Integer> run(int expectedProcesses, Duration idleLimit) {
        return run(expectedProcesses, idleLimit, () -> false);
    }

    /**
     * Like {@link #run(int, Duration)}, but a null {@code idleLimit} waits for events without limit (a real program
     * may run for long without one), and the loop returns early, between two events, once {@code stopRequested} is
     * true (it is checked at least every {@link #STOP_POLL}).
     */
    public Map<Integer, Integer> run(int expectedProcesses, Duration idleLimit, java.util.function.BooleanSupplier stopRequested) {
        UserPointer<DebugEvent> slot = UserPointer.empty();
        int target = created + expectedProcesses;
        exitCodes = new LinkedHashMap<>();
        long idleSince = System.nanoTime();
        while (created < target || live > 0) {
            if (stopRequested.getAsBoolean()) {
                return exitCodes;
            }
            long slice = idleLimit == null ? STOP_POLL.toMillis()
                    : Math.max(1, Math.min(STOP_POLL.toMillis(), idleLimit.toMillis() - (System.nanoTime() - idleSince) / 1_000_000));
            if (!k32.waitForDebugEventEx(slot, (int) slice)) {
                int error = k32.getLastError();
                if (error == Win32Error.ERROR_SEM_TIMEOUT
                        && (idleLimit == null || System.nanoTime() - idleSince < idleLimit.toNanos())) {
                    continue;
                }
                throw new IllegalStateException(error == Win32Error.ERROR_SEM_TIMEOUT
                        ? "no debug event for " + idleLimit.toSeconds() + " s; " + live + " debuggee(s) still running"
                        : "WaitForDebugEvent failed with Win32 error " + error);
            }
            idleSince = System.nanoTime();
            DebugEvent e = slot.get();
            NtStatus answer = handle(e);
            if (!k32.continueDebugEvent(e.processId(), e.threadId(), answer)) {
                throw new IllegalStateException("ContinueDebugEvent failed with Win32 error " + k32.getLastError());
            }
        }
        return exitCodes;
    }

    /** Prints one event and decides how to continue it. */
    private NtStatus handle(DebugEvent e) {
        long pid = Integer.toUnsignedLong(e.processId());
        long tid = Integer.toUnsignedLong(e.threadId());
        EventRecord.Builder r;
        NtStatus answer = NtStatus.DBG_CONTINUE;
        switch (e.info()) {
            case DebugEventInfo.CreateProcessDebugInfo cp -> {
                created++;
                live++;
                processHandles.put(pid, cp.process());
                String path = memory.takeImagePath(cp.process(), cp.imageName(), cp.unicode(), cp.file());
                long end = cp.baseOfImage() + memory.imageSize(cp.process(), cp.baseOfImage());
                modules.add(pid, new ModuleTable.Module(path, cp.baseOfImage(), end));
                r = EventRecord.of("create_process", pid, tid).put("path", path).put("base", cp.baseOfImage()).put("end", end)
                        .put("start", cp.startAddress());
            }
            case DebugEventInfo.LoadDllDebugInfo ld -> {
                Handle process = processHandles.get(pid);
                String path = memory.takeImagePath(process, ld.imageName(), ld.unicode(), ld.file());
                long end = ld.baseOfDll() + memory.imageSize(process, ld.baseOfDll());
                modules.add(pid, new ModuleTable.Module(path, ld.baseOfDll(), end));
                r = EventRecord.of("load_dll", pid, tid).put("path", path).put("base", ld.baseOfDll()).put("end", end);
            }
            case DebugEventInfo.UnloadDllDebugInfo ud -> {
                ModuleTable.Module m = modules.remove(pid, ud.baseOfDll());
                r = EventRecord.of("unload_dll", pid, tid).put("path", m == null ? "?" : m.path()).put("base", ud.baseOfDll());
            }
            case DebugEventInfo.CreateThreadDebugInfo ct -> r = EventRecord.of("create_thread", pid, tid)
                    .put("start", ct.startAddress()).put("start_symbol", modules.symbolize(pid, ct.startAddress()))
                    .put("teb", ct.threadLocalBase());
            case DebugEventInfo.ExitThreadDebugInfo et -> r = EventRecord.of("exit_thread", pid, tid).put("exit_code", Integer.toUnsignedLong(et.exitCode()));
            case DebugEventInfo.ExitProcessDebugInfo ep -> {
                live--;
                exitCodes.put(e.processId(), ep.exitCode());
                modules.forget(pid);
                processHandles.remove(pid);
                r = EventRecord.of("exit_process", pid, tid).put("exit_code", Integer.toUnsignedLong(ep.exitCode()));
            }
            case DebugEventInfo.OutputDebugStringInfo ods -> {
                String text = memory.readString(processHandles.get(pid), ods.debugStringData(),
                        ods.debugStringLength(), ods.unicode());
                r = EventRecord.of("output_debug_string", pid, tid).put("text", stripNewline(text)).put("unicode", ods.unicode());
            }
            case DebugEventInfo.RipInfo rip -> r = EventRecord.of("rip", pid, tid).put("error", Integer.toUnsignedLong(rip.error())).put("type", rip.type());
            case DebugEventInfo.ExceptionDebugInfo ex -> {
                r = exception(pid, tid, ex);
                int code = ex.exceptionRecord().code();
                boolean trap = code == NtStatus.STATUS_BREAKPOINT.value() || code == NtStatus.STATUS_SINGLE_STEP.value();
                answer = trap ? NtStatus.DBG_CONTINUE : NtStatus.DBG_EXCEPTION_NOT_HANDLED;
            }
        }
        printer.print(r.build());
        return answer;
    }

    private EventRecord.Builder exception(long pid, long tid, DebugEventInfo.ExceptionDebugInfo ex) {
        ExceptionRecord rec = ex.exceptionRecord();
        EventRecord.Builder r = EventRecord.of("exception", pid, tid)
                .put("code", Integer.toUnsignedLong(rec.code()))
                .put("name", ExceptionNames.describe(rec.code()))
                .put("address", rec.address())
                .put("address_symbol", modules.symbolize(pid, rec.address()))
                .put("first_chance", ex.firstChance());
        if (rec.code() == NtStatus.STATUS_ACCESS_VIOLATION.value() && rec.numberParameters() >= 2) {
            long kind = rec.info(0);
            String verb = kind == 0 ? "read from" : kind == 1 ? "write to" : kind == 8 ? "execute" : "access";
            r.put("detail", "Attempt to " + verb + " address " + String.format("%016x", rec.info(1)));
        }
        return r;
    }

    private static String stripNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
