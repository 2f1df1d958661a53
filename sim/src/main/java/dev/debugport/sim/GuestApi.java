package dev.debugport.sim;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ki.ExceptionDispatcher;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessManager;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import java.util.concurrent.CompletionStage;

/**
 * What guest code calls: the simulated ntdll/kernel32 surface a program uses, bound to the calling guest thread.
 *
 * <p>Every method except the three accessors ({@link #thread()}, {@link #process()}, {@link #kernel()}, which only
 * read what a TEB would hold) is a safe point: before doing anything it runs the thread's pending continuation
 * tasks and parks while the thread is suspended or its process frozen; if the thread is being terminated the guest
 * code is unwound (with a private {@link Error}; guest code must not catch {@code Error} or {@code Throwable}) and
 * the thread exits with the termination status.
 *
 * <p>A GuestApi belongs to one guest thread; calling it from another Java thread is a programming error.
 */
public interface GuestApi {
    /** The calling thread (NtCurrentTeb()->ClientId). Not a safe point. */
    EThread thread();

    /** The calling process. Not a safe point. */
    EProcess process();

    /** The machine's kernel, for Nt* services with {@link #thread()} as the caller. Not a safe point. */
    Kernel kernel();

    /** The platform's view of the calling process (memory, modules). */
    SimProcess simProcess();

    /** A safe point and nothing else (as a system call that does nothing would be). */
    void safePoint();

    // ---- threads and processes ----

    /** Implements CreateThread(body): see {@link #createThread(GuestCode, boolean, boolean)}. */
    EThread createThread(GuestCode body);

    /**
     * Implements CreateThread / NtCreateThreadEx in the own process: the thread starts at a start address unique to
     * {@code body} (inside the exe), runs {@code body} and exits with 0 when it returns.
     *
     * @param suspended CREATE_SUSPENDED
     * @param hideFromDebugger THREAD_CREATE_FLAGS_HIDE_FROM_DEBUGGER
     * @return the new thread, or null if creation failed (the process is exiting)
     */
    EThread createThread(GuestCode body, boolean suspended, boolean hideFromDebugger);

    /** Implements SuspendThread: the previous suspend count, or -1 on failure. Suspending itself parks at once. */
    int suspendThread(EThread target);

    /** Implements ResumeThread: the previous suspend count. */
    int resumeThread(EThread target);

    /** Implements WaitForSingleObject(hThread, INFINITE): waits until {@code target} has exited. */
    void waitForThread(EThread target);

    /** Implements ExitThread (RtlExitUserThread): never returns. */
    void exitThread(int exitCode);

    /** Implements ExitProcess's NtTerminateProcess(NtCurrentProcess(), code): every thread unwinds, this one too. */
    void exitProcess(int exitCode);

    /**
     * Implements CreateProcess without debug flags from this guest (the child inherits this process's debug port
     * unless it has NO_DEBUG_INHERIT, as Dbgk decides).
     */
    NtResult<ProcessManager.CreatedProcess> createProcess(SimProgram program, boolean suspended);

    // ---- modules ----

    /**
     * Implements LdrLoadDll: if the DLL is loaded, bumps its load count and returns its base; otherwise maps it,
     * stores a pointer to its UTF-16 full path at TEB.ArbitraryUserPointer while it reports the user-mode mapping
     * (DbgkMapViewOfSection, LOAD_DLL), then links it into the loader list.
     *
     * @param name a bare name ("alpha.dll", resolved to the system directory of the program's bitness) or a full path
     * @return the DLL base, or 0 if no address range was free
     */
    long loadLibrary(String name);

    /**
     * Implements LdrUnloadDll: drops a load count; at zero unlinks the module and unmaps it (DbgkUnMapViewOfSection,
     * UNLOAD_DLL). Static imports are pinned.
     *
     * @return false if no module is loaded at {@code base}
     */
    boolean freeLibrary(long base);

    /**
     * Implements NtCreateSection(SEC_IMAGE) + NtMapViewOfSection without the loader: the mapping is reported
     * (LOAD_DLL, with no name pointer set up) but the loader lists are untouched. The image is of the program's
     * bitness.
     *
     * @return the view base, or 0 if no range was free
     */
    long mapImageSection(String path);

    /** As {@link #mapImageSection(String)} with an explicit IMAGE_FILE_HEADER.Machine (0x8664 or 0x14C). */
    long mapImageSection(String path, int machine);

    /** Implements NtUnmapViewOfSection of an image view (UNLOAD_DLL). Returns false if nothing is mapped there. */
    boolean unmapViewOfSection(long base);

    /** Sets or clears TEB.SameTebFlags SuppressDebugMsg (0x80): Windows 10 reports no map/unmap while it is set. */
    void setSuppressDebugMessages(boolean suppress);

    // ---- exceptions ----

    /**
     * Implements RaiseException / RtlRaiseException: ExceptionAddress is a fixed return address in the exe. The
     * exception goes to the debugger (first chance), then to the vectored handlers, then the SEH frames, innermost
     * first, where {@code handler} (may be null) is the innermost; then second chance; unhandled, the process dies
     * with the exception code and this call does not return.
     *
     * @param params ExceptionInformation (null for none; more than 15 are truncated)
     * @return how it was handled; HANDLED_BY_PROGRAM also when {@code handler} returned EXECUTE_HANDLER
     */
    ExceptionDispatcher.Outcome raiseException(int code, int flags, long[] params, GuestHandler handler);

    /**
     * {@code __try { body } __except (filter(GetExceptionInformation())) { }}.
     *
     * @return true if {@code body} completed; false if {@code filter} returned EXECUTE_HANDLER and {@code body} was
     *     unwound
     */
    boolean tryExcept(GuestCode body, GuestHandler filter);

    /** Implements AddVectoredExceptionHandler(FIRST = 0): appended, called before every SEH frame. */
    void addVectoredHandler(GuestHandler handler);

    /** Implements RemoveVectoredExceptionHandler. */
    boolean removeVectoredHandler(GuestHandler handler);

    /**
     * Implements OutputDebugStringA: RaiseException(DBG_PRINTEXCEPTION_C, 0, 2, {strlen+1, string}) inside a
     * handler that swallows it when no debugger handled it (the string is ANSI, in guest memory, while the event is
     * out).
     */
    void outputDebugStringA(String text);

    /**
     * Implements OutputDebugStringW (Windows 10): RaiseException(DBG_PRINTEXCEPTION_WIDE_C, 0, 4, {wide length incl.
     * NUL, wide string, ANSI length incl. NUL, ANSI string}); if that reaches its own handler (no debugger took it),
     * falls back to {@link #outputDebugStringA}. A vectored handler that continues execution ends it instead.
     */
    void outputDebugStringW(String text);

    /** Raises DBG_RIPEXCEPTION {error, type} (a RIP_EVENT for a debugger) inside a catch-all handler. */
    void ripEvent(int error, int type);

    /**
     * Implements __fastfail(code) (int 0x29, Windows 8 and later): STATUS_STACK_BUFFER_OVERRUN (0xC0000409),
     * non-continuable, {@code ExceptionInformation[0] = code}, raised straight as a second chance — a debugger gets
     * one EXCEPTION_DEBUG_EVENT with dwFirstChance 0, and no vectored or SEH handler runs. Unless a debugger handles
     * that second chance (then this returns) the process ends with exit code 0xC0000409 and this does not return.
     */
    void fastFail(int code);

    // ---- handles ----

    /**
     * Implements CloseHandle / NtClose in the own process (Windows 10 rules): a valid handle is closed (TRUE); the
     * pseudo-handles -1..-6 (current process, current thread, the token and session pseudo-handles) close
     * successfully and do nothing; NULL fails. Any other invalid handle fails too, but first — only when the process
     * has a debug port (the kernel's port, not the PEB's BeingDebugged byte) — ObpCloseHandle raises
     * STATUS_INVALID_HANDLE (EXCEPTION_INVALID_HANDLE, no parameters) in the caller: a debugger sees it first
     * chance, then the program's handlers; nobody handling it ends the process with 0xC0000008.
     *
     * @return CloseHandle's result; on failure the thread's last error is ERROR_INVALID_HANDLE
     */
    boolean closeHandle(Handle handle);

    /** GetLastError: the thread's TEB LastErrorValue. */
    int getLastError();

    // ---- memory and code ----

    /**
     * Implements VirtualAlloc(NULL, size, MEM_COMMIT|MEM_RESERVE, protection).
     *
     * @param protection a PAGE_* value ({@link dev.debugport.sim.memory.PageProtection})
     * @return the base (64 KiB aligned), or 0 on failure
     */
    long allocate(int size, int protection);

    /** Implements VirtualFree(base, 0, MEM_RELEASE). */
    boolean free(long base);

    /** Implements VirtualProtect on whole pages. Returns false if part of the range is unmapped. */
    boolean protect(long address, int size, int protection);

    /**
     * A guest store: writing unmapped or non-writable memory raises STATUS_ACCESS_VIOLATION {1, address}; if a
     * debugger or handler handles it the store is retried. A completed store that overlaps an enabled write or
     * read/write data breakpoint of the thread's debug registers (DR7 R/W 01 or 11, LEN 1/2/4/8 over DR0-DR3) then
     * raises STATUS_SINGLE_STEP, a trap: the data is written, DR6 B0-B3 name the slots that fired, and ExceptionAddress
     * and Rip are the guest code's address (as for the access violation).
     */
    void write(long address, byte[] data);

    /**
     * A guest load: reading unmapped or non-readable memory raises STATUS_ACCESS_VIOLATION {0, address}; if handled
     * the load is retried. A completed load that overlaps an enabled read/write data breakpoint (DR7 R/W 11) raises
     * STATUS_SINGLE_STEP as {@link #write} does; write-only (R/W 01) slots do not fire on a load.
     */
    byte[] read(long address, int length);

    /**
     * Runs machine code at {@code address} with the sim's tiny interpreter (Rip in the thread's context is the
     * program counter, so a debugger's SetThreadContext redirects it): 0x90 NOP, 0xC3 RET (stops), 0xCC INT3
     * (STATUS_BREAKPOINT at the int3 with Rip already past it; a handler sees Rip backed up onto it), 0xEB rel8 JMP,
     * 0xCD imm8 INT n ({@code int 3}, {@code int 0x29} fail-fast, {@code int 0x2c}, the {@code int 0x2d} debug service;
     * see the sim interpreter), anything else a one-byte no-op.
     * Fetching from unmapped or non-executable memory raises STATUS_ACCESS_VIOLATION {8, address}. If EFLAGS.TF is
     * set when an instruction starts, after it completes TF is cleared and STATUS_SINGLE_STEP is raised at the next
     * instruction. An enabled execute breakpoint of the debug registers (DR7 R/W 00) on an instruction raises
     * STATUS_SINGLE_STEP before it runs, with Rip on it and DR6 B0-B3 naming the slots, unless EFLAGS.RF is set (RF
     * lets that instruction run and is cleared after it). After a handled exception execution resumes from the
     * context's Rip.
     *
     * @param maxInstructions the most instructions (including faulting fetches) to run
     * @return the address of the RET that stopped execution, or the next Rip if {@code maxInstructions} ran out
     */
    long execute(long address, int maxInstructions);

    /** The thread's own registers (RtlCaptureContext). */
    Amd64Context context();

    /** Replaces the thread's own registers (for example to set EFLAGS.TF before {@link #execute}). */
    void setContext(Amd64Context context);

    // ---- debugger checks ----

    /** Implements IsDebuggerPresent: reads BeingDebugged from the program's PEB (PEB32 for WoW64 code). */
    boolean isDebuggerPresent();

    /** Writes the program's PEB BeingDebugged byte, as anti-debug code that hides a debugger does. */
    void setBeingDebugged(boolean value);

    /** Implements NtQueryInformationProcess (the debug classes) with this thread as the user-mode caller. */
    NtStatus queryInformationProcess(Handle process, int infoClass, UserPointer<Long> buffer, int length, UserPointer<Integer> returnLength);

    // ---- plumbing for tests and demos ----

    /** A named stop point ({@link StopPoints}): a no-op unless a test armed it. */
    void point(String name);

    /** Waits until the machine signal {@code name} is set ({@link SimMachine#signal}); termination ends the wait. */
    void waitFor(String signal);

    /** Sets the machine signal {@code name} (for the host side to wait on). */
    void signal(String signal);

    /**
     * Waits for a kernel completion on this thread, running its continuation tasks meanwhile (as kernel-mode waits
     * do; termination does not end it).
     */
    <T> T await(CompletionStage<T> stage);
}
