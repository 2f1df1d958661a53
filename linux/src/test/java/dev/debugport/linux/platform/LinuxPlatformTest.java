package dev.debugport.linux.platform;

import static dev.debugport.linux.platform.LinuxDebugFixture.exceptionCode;
import static dev.debugport.linux.platform.LinuxDebugFixture.isException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.UserPointer;
import dev.debugport.linux.TestPrograms;
import dev.debugport.linux.ptrace.Posix;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.Signals;
import dev.debugport.linux.ptrace.WaitStatus;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.win32.ProcessInformation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real Linux processes through the Win32 debug API: events, exceptions, modules, children, memory and context. */
class LinuxPlatformTest {
    private final LinuxDebugFixture f = new LinuxDebugFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private static long rax(Amd64Context c) {
        return c.get(Amd64Register.RAX);
    }

    /** Runs to the first exception that is not the loader breakpoint (continuing the others); returns it. */
    private DebugEvent nextProgramException() {
        while (true) {
            DebugEvent e = f.skipUntil(DebugEventCode.EXCEPTION_DEBUG_EVENT);
            ExceptionRecord r = ((DebugEventInfo.ExceptionDebugInfo) e.info()).exceptionRecord();
            if (r.code() == NtStatus.STATUS_BREAKPOINT.value() && isLoaderBreakpoint(e)) {
                f.resume(e);
                continue;
            }
            return e;
        }
    }

    private boolean isLoaderBreakpoint(DebugEvent e) {
        ExceptionRecord r = ((DebugEventInfo.ExceptionDebugInfo) e.info()).exceptionRecord();
        var process = f.process(e.processId());
        var dlls = process.systemDlls();
        return dlls.length > 0 && r.address() >= dlls[0].base() && r.address() < dlls[0].end();
    }

    @Test
    void launchReportsProcessLoaderModulesThreadsAndExitCode() {
        ProcessInformation pi = f.launch(DebugCreationFlags.DEBUG_PROCESS, "threads", "3");
        int pid = pi.processId();
        var process = f.process(pid);
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals(pid, cp.processId());
        assertEquals(pid, cp.threadId(), "the initial thread is the leader");
        var info = (DebugEventInfo.CreateProcessDebugInfo) cp.info();
        assertEquals(TestPrograms.path("threads"), f.pathOf(cp));
        assertEquals(f.process(pid).image().entryPoint(), info.startAddress(), "lpStartAddress is the entry point");
        assertNotEquals(0, info.baseOfImage());
        f.resume(cp);
        DebugEvent ld = f.next(DebugEventCode.LOAD_DLL_DEBUG_EVENT);
        assertTrue(f.pathOf(ld).contains("ld-linux"), "ld.so right after CREATE_PROCESS (the system DLL)");
        f.resume(ld);
        List<DebugEvent> rest = f.collect(pid);
        List<String> dlls = rest.stream().filter(e -> e.code() == DebugEventCode.LOAD_DLL_DEBUG_EVENT).map(f::pathOf).toList();
        assertTrue(dlls.stream().anyMatch(p -> p.contains("libc.so")), () -> "libc LOAD_DLL: " + dlls);
        DebugEvent loaderBreak = rest.stream().filter(e -> e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT).findFirst().orElseThrow();
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), exceptionCode(loaderBreak), "the loader breakpoint");
        assertTrue(rest.indexOf(loaderBreak) > rest.indexOf(rest.stream()
                .filter(e -> e.code() == DebugEventCode.LOAD_DLL_DEBUG_EVENT).findFirst().orElseThrow()), "after the loader's LOAD_DLLs");
        Set<Integer> created = rest.stream().filter(e -> e.code() == DebugEventCode.CREATE_THREAD_DEBUG_EVENT)
                .map(DebugEvent::threadId).collect(Collectors.toSet());
        Set<Integer> exited = rest.stream().filter(e -> e.code() == DebugEventCode.EXIT_THREAD_DEBUG_EVENT)
                .map(DebugEvent::threadId).collect(Collectors.toSet());
        assertEquals(3, created.size(), () -> "three CREATE_THREAD: " + rest);
        assertEquals(created, exited, "every created thread exits");
        assertFalse(created.contains(pid));
        rest.stream().filter(e -> e.code() == DebugEventCode.CREATE_THREAD_DEBUG_EVENT).forEach(e -> {
            long start = ((DebugEventInfo.CreateThreadDebugInfo) e.info()).startAddress();
            assertTrue(start >= process.image().base() && start < process.image().end(),
                    "lpStartAddress is the pthread start routine in the program: " + Long.toHexString(start));
        });
        DebugEvent last = rest.getLast();
        assertEquals(0, ((DebugEventInfo.ExitProcessDebugInfo) last.info()).exitCode());
        assertEquals(pid, last.threadId());
        assertTrue(rest.indexOf(last) > rest.stream().filter(e -> e.code() == DebugEventCode.EXIT_THREAD_DEBUG_EVENT)
                .mapToInt(rest::indexOf).max().orElse(-1), "EXIT_PROCESS after every EXIT_THREAD");
        assertEquals(0, LinuxDebugFixture.awaitExit(process));
    }

    @Test
    void exitCodeAndLinuxStatus() {
        int pid = f.launch(DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS, "exitcode", "42").processId();
        var process = f.process(pid);
        assertEquals(42, f.runToExit(pid));
        assertEquals(42, LinuxDebugFixture.awaitExit(process));
        LinuxDebugFixture.awaitCondition("reaped", () -> f.platform.linuxExitStatus(pid).isPresent());
        assertEquals(new WaitStatus.Exited(42 << 8, 42), f.platform.linuxExitStatus(pid).orElseThrow());
    }

    @Test
    void aFailedCreationLeavesNothingRunning() {
        f.k32.dbgUi().setThreadDebugObject(Handle.of(0x7FF0)); // not a handle: DbgkCopyProcessDebugPort fails
        UserPointer<ProcessInformation> info = UserPointer.empty();
        assertFalse(f.k32.createProcess(LinuxDebugFixture.program("threads", "1", "block"), DebugCreationFlags.DEBUG_PROCESS, info));
        assertEquals(Win32Error.ERROR_INVALID_HANDLE, f.k32.getLastError());
        f.k32.dbgUi().setThreadDebugObject(Handle.NULL);
        // The launched process was killed and reaped: the fixture checks every pid the tracer saw.
        assertFalse(f.k32.createProcess(new LinuxProgram(List.of("/nonexistent/program"), LinuxDebugFixture.quiet()),
                DebugCreationFlags.DEBUG_PROCESS, info));
        assertEquals(Win32Error.ERROR_FILE_NOT_FOUND, f.k32.getLastError());
    }

    @Test
    void int3EventAddressAndRip() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "regs").processId();
        DebugEvent e = nextProgramException();
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), exceptionCode(e));
        assertTrue(((DebugEventInfo.ExceptionDebugInfo) e.info()).firstChance());
        long address = ((DebugEventInfo.ExceptionDebugInfo) e.info()).exceptionRecord().address();
        Amd64Context c = f.context(e.threadId());
        assertEquals(address + 1, c.rip(), "rip is past the int3, ExceptionAddress on it");
        byte[] b = new byte[1];
        assertTrue(f.k32.readProcessMemory(openProcess(pid), address, b, 1, null));
        assertEquals((byte) 0xCC, b[0]);
        assertEquals(1, c.get(Amd64Register.RBX));
        f.setContext(e.threadId(), c.with(Amd64Register.RBX, 42).withTrapFlag(true));
        Amd64Context set = f.context(e.threadId());
        assertEquals(42, set.get(Amd64Register.RBX), "GetThreadContext reads back what SetThreadContext set");
        assertTrue(set.trapFlag());
        f.setContext(e.threadId(), set.withTrapFlag(false));
        assertFalse(f.context(e.threadId()).trapFlag(), "and the last SetThreadContext wins");
        f.resume(e);
        assertEquals(42, f.runToExit(pid), "the new context took effect");
    }

    private Handle openProcess(int pid) {
        Handle h = f.k32.openProcess(AccessMask.PROCESS_ALL_ACCESS, pid);
        assertFalse(h.isNull(), () -> "OpenProcess failed: " + f.k32.getLastError());
        return h;
    }

    @Test
    void unhandledSegfaultGoesToSecondChanceAndEndsTheProcessWithItsCode() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "segv").processId();
        DebugEvent first = nextProgramException();
        ExceptionRecord r = ((DebugEventInfo.ExceptionDebugInfo) first.info()).exceptionRecord();
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), r.code());
        assertEquals(2, r.numberParameters());
        assertEquals(1, r.info(0), "a write");
        assertEquals(0xdead0000L, r.info(1));
        assertEquals(r.address(), f.context(first.threadId()).rip(), "a fault: rip on the faulting instruction");
        assertTrue(((DebugEventInfo.ExceptionDebugInfo) first.info()).firstChance());
        f.resume(first, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        DebugEvent second = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertFalse(((DebugEventInfo.ExceptionDebugInfo) second.info()).firstChance());
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), exceptionCode(second));
        f.resume(second, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        DebugEvent exit = f.next(DebugEventCode.EXIT_PROCESS_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), ((DebugEventInfo.ExitProcessDebugInfo) exit.info()).exitCode());
        f.resume(exit);
        LinuxDebugFixture.awaitCondition("reaped", () -> f.platform.linuxExitStatus(pid).isPresent());
        WaitStatus st = f.platform.linuxExitStatus(pid).orElseThrow();
        assertInstanceOf(WaitStatus.Killed.class, st);
        assertEquals(Signals.SIGSEGV, ((WaitStatus.Killed) st).signal(), "the real process died of its signal");
    }

    @Test
    void segfaultWithAHandlerNotHandledByTheDebuggerGoesToTheHandler() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "segv", "handler").processId();
        DebugEvent first = nextProgramException();
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), exceptionCode(first));
        f.resume(first, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        DebugEvent next = f.next();
        assertEquals(DebugEventCode.EXIT_PROCESS_DEBUG_EVENT, next.code(), () -> "no second chance: " + next);
        assertEquals(3, ((DebugEventInfo.ExitProcessDebugInfo) next.info()).exitCode(), "the handler's _exit(3)");
        f.resume(next);
    }

    @Test
    void handledSignalsAreDeliveredEachTime() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "handled").processId();
        for (int i = 0; i < 2; i++) {
            DebugEvent e = nextProgramException();
            assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), exceptionCode(e));
            f.resume(e, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        }
        assertEquals(2, f.runToExit(pid));
    }

    @Test
    void abortDivideByZeroAndIllegalInstructionHaveTheirCodes() {
        expectFatal("abort", NtStatus.STATUS_FATAL_APP_EXIT.value(), Signals.SIGABRT);
        expectFatal("divzero", NtStatus.STATUS_INTEGER_DIVIDE_BY_ZERO.value(), Signals.SIGFPE);
        expectFatal("illegal", NtStatus.STATUS_ILLEGAL_INSTRUCTION.value(), Signals.SIGILL);
    }

    private void expectFatal(String program, int code, int signal) {
        int pid = f.launch(DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS, program).processId();
        DebugEvent first = nextProgramException();
        assertEquals(code, exceptionCode(first), program);
        f.resume(first, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        DebugEvent second = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertFalse(((DebugEventInfo.ExceptionDebugInfo) second.info()).firstChance());
        f.resume(second, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        DebugEvent exit = f.next(DebugEventCode.EXIT_PROCESS_DEBUG_EVENT);
        assertEquals(code, ((DebugEventInfo.ExitProcessDebugInfo) exit.info()).exitCode());
        f.resume(exit);
        LinuxDebugFixture.awaitCondition("reaped", () -> f.platform.linuxExitStatus(pid).isPresent());
        assertEquals(signal, ((WaitStatus.Killed) f.platform.linuxExitStatus(pid).orElseThrow()).signal());
    }

    @Test
    void accessViolationsSayReadWriteOrExecute() {
        expectAccess("r", 0, 0xdead0000L);
        expectAccess("w", 1, 0xdead0000L);
        expectAccess("x", 8, 0xdead0000L);
        expectAccess("n", 1, -1);
    }

    private void expectAccess(String how, long kind, long address) {
        int pid = f.launch(DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS, "segvkind", how).processId();
        DebugEvent e = nextProgramException();
        ExceptionRecord r = ((DebugEventInfo.ExceptionDebugInfo) e.info()).exceptionRecord();
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), r.code(), how);
        assertEquals(kind, r.info(0), how);
        if (address != -1) {
            assertEquals(address, r.info(1), how);
        }
        f.resume(e, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), f.runToExit(pid));
    }

    @Test
    void busErrorIsAnInPageError() {
        int pid = f.launch(DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS, "sigbus").processId();
        DebugEvent e = nextProgramException();
        ExceptionRecord r = ((DebugEventInfo.ExceptionDebugInfo) e.info()).exceptionRecord();
        assertEquals(NtStatus.STATUS_IN_PAGE_ERROR.value(), r.code());
        assertEquals(0, r.info(0), "a read");
        assertEquals(3, r.numberParameters());
        f.resume(e, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        assertEquals(NtStatus.STATUS_IN_PAGE_ERROR.value(), f.runToExit(pid));
    }

    @Test
    void dlopenAndDlcloseAreLoadAndUnloadDll() {
        String lib = TestPrograms.path("libsmall.so");
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "dlopen", lib).processId();
        Handle process = openProcess(pid);
        long loadedAt = -1;
        boolean unloaded = false;
        while (true) {
            DebugEvent e = f.next();
            if (e.code() == DebugEventCode.LOAD_DLL_DEBUG_EVENT) {
                var ld = (DebugEventInfo.LoadDllDebugInfo) e.info();
                String name = imageName(process, ld.imageName());
                if (name != null && name.endsWith("libsmall.so")) {
                    assertEquals(lib, f.pathOf(e));
                    loadedAt = ld.baseOfDll();
                }
            } else if (e.code() == DebugEventCode.UNLOAD_DLL_DEBUG_EVENT) {
                assertEquals(loadedAt, ((DebugEventInfo.UnloadDllDebugInfo) e.info()).baseOfDll());
                unloaded = true;
            } else if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                assertEquals(0, ((DebugEventInfo.ExitProcessDebugInfo) e.info()).exitCode());
                f.resume(e);
                break;
            }
            f.resume(e, LinuxDebugFixture.passThrough(e));
        }
        assertNotEquals(-1, loadedAt, "LOAD_DLL for libsmall.so");
        assertTrue(unloaded, "UNLOAD_DLL for libsmall.so");
    }

    /** lpImageName: the address in the debuggee of a pointer to the UTF-16 path (TEB.ArbitraryUserPointer). */
    private String imageName(Handle process, long namePointer) {
        if (namePointer == 0) {
            return null;
        }
        byte[] p = new byte[8];
        if (!f.k32.readProcessMemory(process, namePointer, p, 8, null)) {
            return null;
        }
        long at = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] s = new byte[520];
        UserPointer<Long> got = UserPointer.of(0L);
        f.k32.readProcessMemory(process, at, s, s.length, got);
        String text = new String(s, 0, got.get().intValue(), java.nio.charset.StandardCharsets.UTF_16LE);
        int nul = text.indexOf('\0');
        return nul < 0 ? text : text.substring(0, nul);
    }

    @Test
    void forkWithDebugProcessDebugsTheChildOnTheSameObject() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "forkonly").processId();
        int child = -1;
        boolean childReported = false;
        boolean childExited = false;
        while (true) {
            DebugEvent e = f.next();
            if (e.code() == DebugEventCode.CREATE_PROCESS_DEBUG_EVENT && e.processId() != pid) {
                child = e.processId();
                assertEquals(pid, (int) f.process(child).parentPid());
                assertEquals(TestPrograms.path("forkonly"), f.pathOf(e));
            } else if (e.processId() == child && isException(e, NtStatus.STATUS_BREAKPOINT.value())
                    && rax(f.context(e.threadId())) == 1) {
                childReported = true;
            } else if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT && e.processId() == child) {
                assertEquals(4, ((DebugEventInfo.ExitProcessDebugInfo) e.info()).exitCode());
                childExited = true;
            } else if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT && e.processId() == pid) {
                assertEquals(4, ((DebugEventInfo.ExitProcessDebugInfo) e.info()).exitCode());
                f.resume(e);
                break;
            }
            f.resume(e, LinuxDebugFixture.passThrough(e));
        }
        assertNotEquals(-1, child, "the child's CREATE_PROCESS");
        assertTrue(childReported, "the child is traced (its TracerPid is set) and its int3 reported");
        assertTrue(childExited);
    }

    @Test
    void forkWithDebugOnlyThisProcessLetsTheChildRunFree() {
        int pid = f.launch(DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS, "forkonly").processId();
        List<DebugEvent> all = f.collect(pid);
        assertTrue(all.stream().allMatch(e -> e.processId() == pid), () -> "only the parent's events: " + all);
        assertEquals(4, ((DebugEventInfo.ExitProcessDebugInfo) all.getLast().info()).exitCode(),
                "the child was not traced (no int3 of its own) and exited 4");
    }

    @Test
    void execReplacesTheImage() {
        int pid = f.launch(DebugCreationFlags.DEBUG_ONLY_THIS_PROCESS, "execself", TestPrograms.path("exitcode"), "9").processId();
        List<DebugEvent> all = f.collect(pid);
        List<DebugEvent> creates = all.stream().filter(e -> e.code() == DebugEventCode.CREATE_PROCESS_DEBUG_EVENT).toList();
        assertEquals(1, creates.size(), "the second CREATE_PROCESS is the first event after the old image's end");
        List<DebugEvent> exits = all.stream().filter(e -> e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT).toList();
        assertEquals(1, exits.size());
        assertEquals(0, ((DebugEventInfo.ExitProcessDebugInfo) exits.getFirst().info()).exitCode(), "the old image ends with 0");
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals(pid, cp.processId());
        assertEquals(TestPrograms.path("exitcode"), f.pathOf(cp));
        f.resume(cp);
        assertEquals(9, f.runToExit(pid));
    }

    @Test
    void readAndWriteProcessMemoryAndHardwareBreakpoints() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "watch").processId();
        Handle process = openProcess(pid);
        DebugEvent report = nextProgramException();
        long watched = rax(f.context(report.threadId()));
        byte[] b = new byte[4];
        assertTrue(f.k32.readProcessMemory(process, watched, b, 4, null));
        assertEquals(0, ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt());
        assertTrue(f.k32.writeProcessMemory(process, watched, new byte[] {7, 0, 0, 0}, 4, null));
        assertTrue(f.k32.readProcessMemory(process, watched, b, 4, null));
        assertEquals(7, b[0]);
        // Unmapped memory fails cleanly.
        assertFalse(f.k32.readProcessMemory(process, 0x10, b, 4, null));
        assertEquals(Win32Error.ERROR_NOACCESS, f.k32.getLastError());
        // A write watchpoint on `watched` (DR0, RW=01, LEN=4 bytes: DR7 = L0 | (01 << 16) | (11 << 18)).
        Amd64Context c = f.context(report.threadId());
        long dr7 = 0x1 | (0x1L << 16) | (0x3L << 18);
        f.setContext(report.threadId(), c.with(Amd64Register.DR0, watched).with(Amd64Register.DR7, dr7));
        assertEquals(dr7, f.context(report.threadId()).get(Amd64Register.DR7));
        f.resume(report);
        DebugEvent hit = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_SINGLE_STEP.value(), exceptionCode(hit), "a hardware breakpoint is a single step");
        Amd64Context at = f.context(hit.threadId());
        assertEquals(1, at.get(Amd64Register.DR6) & 1, "DR6.B0");
        assertTrue(f.k32.readProcessMemory(process, watched, b, 4, null));
        assertEquals(1, b[0], "after the first store");
        f.setContext(hit.threadId(), at.with(Amd64Register.DR7, 0).with(Amd64Register.DR6, 0));
        f.resume(hit);
        assertEquals(2, f.runToExit(pid));
    }

    @Test
    void detachPutsBackTheDebugRegistersAndTheLoaderBreakpoint() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "store").processId();
        var process = f.process(pid);
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        // A write watchpoint on `watched` before the program runs (its address from the symbol table and the bias).
        ElfImage elf = ElfImage.read(java.nio.file.Path.of(TestPrograms.path("store"))).orElseThrow();
        long watched = process.image().base() - elf.lowestAddress() + elf.symbol("watched").orElseThrow();
        Amd64Context c = f.context(pid);
        f.setContext(pid, c.with(Amd64Register.DR0, watched).with(Amd64Register.DR7, 0x1 | (0x1L << 16) | (0x3L << 18)));
        assertTrue(f.k32.debugActiveProcessStop(pid));
        // Left in place, the watchpoint or the int3 on ld.so's r_brk would kill it with SIGTRAP; it exits 2.
        assertEquals(2, LinuxDebugFixture.awaitExit(process));
        LinuxDebugFixture.awaitCondition("reaped", () -> f.platform.linuxExitStatus(pid).isPresent());
        assertEquals(new WaitStatus.Exited(2 << 8, 2), f.platform.linuxExitStatus(pid).orElseThrow());
        assertEquals(pid, cp.processId());
    }

    @Test
    void trapFlagSingleStepsAndIsCleared() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "regs").processId();
        DebugEvent e = nextProgramException();
        Amd64Context c = f.context(e.threadId());
        f.setContext(e.threadId(), c.withTrapFlag(true));
        f.resume(e);
        DebugEvent step = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_SINGLE_STEP.value(), exceptionCode(step));
        Amd64Context after = f.context(step.threadId());
        assertFalse(after.trapFlag(), "Windows clears TF when it reports the step");
        assertTrue(after.rip() > c.rip() && after.rip() <= c.rip() + 15, "one instruction further");
        f.resume(step);
        assertEquals(1, f.runToExit(pid));
    }

    @Test
    void debugBreakProcessInterruptsARunningDebuggee() {
        ProcessInformation pi = f.launch(DebugCreationFlags.DEBUG_PROCESS, "threads", "2", "block");
        int pid = pi.processId();
        // Run until the two threads are created and the program is blocked.
        int threads = 0;
        while (threads < 2) {
            DebugEvent e = f.next();
            if (e.code() == DebugEventCode.CREATE_THREAD_DEBUG_EVENT) {
                threads++;
            }
            f.resume(e, LinuxDebugFixture.passThrough(e));
        }
        assertTrue(f.k32.debugBreakProcess(pi.process()), () -> "DebugBreakProcess: " + f.k32.getLastError());
        DebugEvent brk = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), exceptionCode(brk));
        assertEquals(pid, brk.processId());
        // Frozen: every thread is stopped while the event is out.
        for (int tid : Procfs.tasks(pid).orElseThrow()) {
            assertEquals('t', (char) Procfs.state(tid).orElseThrow(), "thread " + tid + " stopped");
        }
        f.resume(brk, NtStatus.DBG_EXCEPTION_NOT_HANDLED);
        LinuxDebugFixture.awaitCondition("the debuggee runs on", () -> Procfs.tasks(pid).orElseThrow().stream()
                .allMatch(t -> Procfs.state(t).orElse('t') != 't'));
        assertTrue(f.k32.terminateProcess(pi.process(), 5));
        assertEquals(5, f.runToExit(pid));
    }

    @Test
    void suspendResumeAndTerminateThreadOnARunningDebuggee() {
        ProcessInformation pi = f.launch(DebugCreationFlags.DEBUG_PROCESS, "threads", "2", "block");
        int pid = pi.processId();
        java.util.List<Handle> threads = new java.util.ArrayList<>();
        java.util.List<Integer> tids = new java.util.ArrayList<>();
        while (threads.size() < 2) {
            DebugEvent e = f.next();
            if (e.code() == DebugEventCode.CREATE_THREAD_DEBUG_EVENT) {
                threads.add(f.k32.openThread(AccessMask.THREAD_ALL_ACCESS, e.threadId()));
                tids.add(e.threadId());
            }
            f.resume(e, LinuxDebugFixture.passThrough(e));
        }
        int tid = tids.getFirst();
        LinuxDebugFixture.awaitCondition("thread runs", () -> Procfs.state(tid).orElse('t') != 't');
        assertEquals(0, f.k32.suspendThread(threads.getFirst()));
        LinuxDebugFixture.awaitCondition("thread stops", () -> Procfs.state(tid).orElse('?') == 't');
        assertNotEquals(0, f.context(tid).rip(), "the context of a suspended thread");
        assertEquals(1, f.k32.resumeThread(threads.getFirst()));
        LinuxDebugFixture.awaitCondition("thread runs again", () -> Procfs.state(tid).orElse('t') != 't');
        // GetThreadContext on a running thread stops it briefly and lets it go on.
        assertNotEquals(0, f.context(tid).rip());
        LinuxDebugFixture.awaitCondition("thread runs after the context read", () -> Procfs.state(tid).orElse('t') != 't');
        // TerminateThread: the thread alone exits with the code; the process lives on.
        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.services().terminateThread(f.debuggerThread,
                dev.debugport.kernel.ProcessorMode.USER, threads.get(1), 77), "NtTerminateThread");
        DebugEvent exit = f.next(DebugEventCode.EXIT_THREAD_DEBUG_EVENT);
        assertEquals((int) tids.get(1), exit.threadId());
        assertEquals(77, ((DebugEventInfo.ExitThreadDebugInfo) exit.info()).exitCode());
        f.resume(exit);
        assertTrue(Posix.kill(pid, 0).isOk());
        assertTrue(f.k32.terminateProcess(pi.process(), 9));
        assertEquals(9, f.runToExit(pid));
    }

    @Test
    void attachToAMultithreadedProgramThenDetachLeavesItRunning() {
        int[] spawned = f.spawnWithPipe("threads", "4", "block");
        int pid = spawned[0];
        assertEquals("ready", LinuxDebugFixture.readLine(spawned[1]));
        Posix.close(spawned[1]);
        List<Integer> tasks = List.copyOf(Procfs.tasks(pid).orElseThrow());
        assertTrue(f.k32.debugActiveProcess(pid), () -> "DebugActiveProcess: " + f.k32.getLastError());
        DebugEvent cp = f.next(DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);
        assertEquals(pid, cp.threadId());
        var info = (DebugEventInfo.CreateProcessDebugInfo) cp.info();
        assertEquals(0, info.startAddress(), "a fake CREATE_PROCESS has no start address");
        assertEquals(TestPrograms.path("threads"), f.pathOf(cp));
        f.resume(cp);
        DebugEvent ld = f.next(DebugEventCode.LOAD_DLL_DEBUG_EVENT);
        assertTrue(f.pathOf(ld).contains("ld-linux"));
        f.resume(ld);
        for (int i = 1; i < tasks.size(); i++) {
            DebugEvent ct = f.next(DebugEventCode.CREATE_THREAD_DEBUG_EVENT);
            assertEquals((int) tasks.get(i), ct.threadId(), "the other threads in creation order");
            f.resume(ct);
        }
        DebugEvent libc = f.next(DebugEventCode.LOAD_DLL_DEBUG_EVENT);
        assertTrue(f.pathOf(libc).contains("libc.so"));
        assertEquals(0, ((DebugEventInfo.LoadDllDebugInfo) libc.info()).imageName(), "fake LOAD_DLL: no name");
        f.resume(libc);
        DebugEvent brk = f.next(DebugEventCode.EXCEPTION_DEBUG_EVENT);
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), exceptionCode(brk), "the break-in");
        f.resume(brk);
        UserPointer<Boolean> present = UserPointer.of(false);
        Handle h = openProcess(pid);
        assertTrue(f.k32.checkRemoteDebuggerPresent(h, present));
        assertTrue(present.get());
        assertTrue(f.k32.debugActiveProcessStop(pid), () -> "DebugActiveProcessStop: " + f.k32.getLastError());
        assertTrue(f.k32.checkRemoteDebuggerPresent(h, present));
        assertFalse(present.get());
        for (int tid : tasks) {
            assertEquals(0, Procfs.tracerPid(tid).orElseThrow(), "thread " + tid + " untraced");
            assertNotEquals('t', (char) Procfs.state(tid).orElseThrow());
        }
        assertTrue(Posix.kill(pid, 0).isOk(), "still alive");
    }

    /** The hFile of a module: its bytes readable; a missing file is STATUS_OBJECT_NAME_NOT_FOUND, as before. */
    @Test
    void imageFilesOpenForReadingAndMissingOnesAreNotFound() {
        var file = f.platform.openImageFile(TestPrograms.path("libsmall.so"));
        assertTrue(file.isSuccess());
        byte[] magic = new byte[4];
        assertEquals(4, file.value().read(0, magic, 0, 4));
        assertEquals(0x7F, magic[0]);
        assertEquals('E', magic[1]);
        file.value().dereference();
        String missing = TestPrograms.dir().resolve("missing.so").toString();
        assertEquals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, f.platform.openImageFile(missing).status());
    }

    /**
     * Debug registers a former tracer left in a thread: the attach does not read them, the first GetThreadContext
     * does, and the detach puts back what a SetThreadContext changed.
     */
    @Test
    void debugRegistersLeftBeforeTheAttachAreReportedAndRestoredAtDetach() throws Exception {
        int[] spawned = f.spawnWithPipe("threads", "1", "block");
        int pid = spawned[0];
        assertEquals("ready", LinuxDebugFixture.readLine(spawned[1]));
        Posix.close(spawned[1]);
        long left = 0x10000;
        setDebugRegisterOutsideThePlatform(pid, 0, left);
        assertTrue(f.k32.debugActiveProcess(pid), () -> "DebugActiveProcess: " + f.k32.getLastError());
        f.resumeThroughBreakpoint();
        Amd64Context c = f.context(pid);
        assertEquals(left, c.get(Amd64Register.DR0), "DR0 as the former tracer left it");
        assertEquals(0, c.get(Amd64Register.DR7));
        f.setContext(pid, c.with(Amd64Register.DR0, 0x20000));
        assertEquals(0x20000, f.context(pid).get(Amd64Register.DR0));
        assertTrue(f.k32.debugActiveProcessStop(pid), () -> "DebugActiveProcessStop: " + f.k32.getLastError());
        assertEquals(left, debugRegisterOutsideThePlatform(pid, 0), "the detach put DR0 back");
    }

    /** Seizes the process with a tracer of its own, sets DR{@code n} of its main thread, and detaches. */
    private static void setDebugRegisterOutsideThePlatform(int pid, int n, long value) throws Exception {
        withOwnTracer(pid, pt -> pt.setDebugReg(pid, n, value).isOk() ? value : -1L);
    }

    private static long debugRegisterOutsideThePlatform(int pid, int n) throws Exception {
        return withOwnTracer(pid, pt -> pt.getDebugReg(pid, n).orElse(-1L));
    }

    private static long withOwnTracer(int pid, java.util.function.Function<dev.debugport.linux.ptrace.Ptrace, Long> work)
            throws Exception {
        try (dev.debugport.linux.tracer.Tracer tracer = dev.debugport.linux.tracer.Tracer.start((ev, pt) -> { })) {
            assertTrue(tracer.attach(pid).get(30, java.util.concurrent.TimeUnit.SECONDS).isOk(), "own tracer attached");
            long result = tracer.submit(work).get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(tracer.detach(pid).get(30, java.util.concurrent.TimeUnit.SECONDS).isOk(), "own tracer detached");
            return result;
        }
    }

    @Test
    void killOnCloseKillsTheDebuggee() {
        ProcessInformation pi = f.launch(DebugCreationFlags.DEBUG_PROCESS, "threads", "1", "block");
        int pid = pi.processId();
        var process = f.process(pid);
        DebugEvent e = f.skipUntil(DebugEventCode.CREATE_THREAD_DEBUG_EVENT);
        f.resume(e);
        f.platform.exitHostThread(f.debuggerThread, 0); // the DbgUi handle closes: DEBUG_KILL_ON_CLOSE
        assertEquals(NtStatus.STATUS_DEBUGGER_INACTIVE.value(), LinuxDebugFixture.awaitExit(process));
        LinuxDebugFixture.awaitCondition("reaped", () -> f.platform.linuxExitStatus(pid).isPresent());
        assertEquals(Signals.SIGKILL, ((WaitStatus.Killed) f.platform.linuxExitStatus(pid).orElseThrow()).signal());
    }

    @Test
    void aDebuggeeKilledFromOutsideWhileItsEventIsOutStillReportsItsExit() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "regs").processId();
        DebugEvent e = nextProgramException();
        assertTrue(Posix.kill(pid, Signals.SIGKILL).isOk());
        f.resume(e);
        DebugEvent exit = f.skipUntil(DebugEventCode.EXIT_PROCESS_DEBUG_EVENT);
        assertEquals(128 + Signals.SIGKILL, ((DebugEventInfo.ExitProcessDebugInfo) exit.info()).exitCode());
        f.resume(exit);
    }

    @Test
    void otherThreadsMakeNoProgressWhileAnEventIsOut() {
        int pid = f.launch(DebugCreationFlags.DEBUG_PROCESS, "counter").processId();
        Handle process = openProcess(pid);
        DebugEvent e = nextProgramException();
        long counter = rax(f.context(e.threadId()));
        byte[] b = new byte[8];
        assertTrue(f.k32.readProcessMemory(process, counter, b, 8, null));
        long before = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
        for (int tid : Procfs.tasks(pid).orElseThrow()) {
            assertEquals('t', (char) Procfs.state(tid).orElseThrow(), "thread " + tid + " stopped");
        }
        assertTrue(f.k32.readProcessMemory(process, counter, b, 8, null));
        assertEquals(before, ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong());
        f.resume(e);
        DebugEvent again = nextProgramException();
        assertEquals(2, rax(f.context(again.threadId())), "the counter moved once the event was continued");
        f.resume(again);
        assertEquals(0, f.runToExit(pid));
    }
}
