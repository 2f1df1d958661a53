/**
 * The Linux platform: real Linux processes as NT processes, for the same Dbgk engine, DbgUi and Win32 API that run on
 * the simulated platform ({@link dev.debugport.linux.platform.LinuxPlatform}). Everything goes through the
 * {@link dev.debugport.linux.tracer.Tracer} thread (ptrace, called with the FFM API).
 *
 * <h2>Events (shared/DESIGN.md decision 8, spec/ecosystem.md A.6)</h2>
 * <pre>
 * Linux                                          NT (what the kernel and Dbgk are told)
 * launch (posix_spawn, seize, exec stop)         PspCreateProcess with the real pid; the initial thread (tid = pid)
 *                                                starts: DbgkCreateThread -> CREATE_PROCESS (lpStartAddress =
 *                                                AT_ENTRY) and, from system DLL slot 0, LOAD_DLL of ld.so
 * ld.so's r_brk (_dl_debug_state) int3, at a    link_map compared with what was reported: DbgkUnMapViewOfSection
 *   consistent r_debug state                     (UNLOAD_DLL) / DbgkMapViewOfSection (LOAD_DLL, file handle, base =
 *                                                where the ELF header is mapped, lpImageName = &amp;TEB.ArbitraryUserPointer
 *                                                pointing at the path); then `ret` is emulated (the int3 stays)
 * the first consistent state after a launch      the loader breakpoint: STATUS_BREAKPOINT at r_brk (like
 *                                                LdrpDoDebuggerBreak); never fatal
 * clone (the new thread's first stop)            a thread object; DbgkCreateThread -> CREATE_THREAD (lpStartAddress =
 *                                                the pthread start routine, from glibc's libthread_db descriptor)
 * PTRACE_EVENT_EXIT (or the thread's end)        PspExitThread: EXIT_THREAD, or EXIT_PROCESS for the last thread,
 *                                                with the exit code (128 + N for a thread killed by signal N)
 * fork/vfork child (its first stop)              DbgkCopyProcessDebugPort from the parent: debugged on the same object
 *                                                (CREATE_PROCESS, ld.so, its inherited modules replayed as LOAD_DLL),
 *                                                or detached to run free (DEBUG_ONLY_THIS_PROCESS, attached parent)
 * execve in a debugged process                   the old image's process object ends (EXIT_PROCESS 0); a new one
 *                                                with the same pid starts on the same debug object (CREATE_PROCESS...)
 * signal-delivery-stop                           KiDispatchException (see {@link dev.debugport.linux.platform.SignalMapping}
 *                                                for codes): first chance to the debugger; "the program's handlers" =
 *                                                delivering the signal when that does not end the process (a handler,
 *                                                ignored, or a harmless default); else second chance; unhandled, the
 *                                                kernel terminates the process with the exception code and the process
 *                                                dies of its own signal
 * PTRACE_INTERRUPT (DebugBreakProcess)           STATUS_BREAKPOINT on the process's first thread where it stopped
 * attach (seize every thread, all-stop)          Dbgk's fake messages: CREATE_PROCESS, ld.so, CREATE_THREAD per other
 *                                                thread, LOAD_DLL per link_map entry; the process stays stopped until
 *                                                the debugger continues them
 * </pre>
 *
 * <h2>What a debugger sees of a Linux process</h2>
 * Process and thread ids are the real ones. Memory is the real address space, plus a PEB and TEBs overlaid at
 * addresses no Linux process can map ({@link dev.debugport.linux.platform.ShadowMemory}); PEB.BeingDebugged reads
 * TracerPid. The context is {@code user_regs_struct} with DR0-3, DR6 and DR7; hardware breakpoints are set through
 * DR7, single steps through the trap flag (cleared when the step is reported, as Windows does). Detach puts back the
 * debug registers the debugger changed and the r_brk byte, and delivers the signal of an exception left pending
 * (not handled). Debugger-side software breakpoints are the debugger's own bytes: it removes them.
 *
 * <h2>The kernel debugger</h2>
 * On a machine whose kernel debugger is available (KdPitchDebugger clear) a launched process stays traced without a
 * debug port: the kernel debugger freezes it (every thread brought to a ptrace-stop, which the kernel counts as
 * parked: {@code ThreadRunState.setStoppedByPlatform}), reads and writes it, and sees its exceptions (the dispatcher
 * gives them to KiDebugRoutine as the process has no debug port); module events keep its loader list current (no
 * loader breakpoint: that one is for a user-mode debugger). Its fork children are released as without one.
 *
 * <h2>Not modelled</h2>
 * Creating a thread in a Linux process from outside (NtCreateThread in another process: STATUS_NOT_SUPPORTED; the
 * break-in uses PTRACE_INTERRUPT on an existing thread, so no CREATE_THREAD precedes it); debugger suspensions do
 * not outlive a detach (a detached thread runs); dlmopen namespaces other than the base one; static executables
 * report no loader events. If the JVM dies without closing its debug object, PTRACE_O_EXITKILL (which follows the
 * object's kill-on-close flag, {@code debugPortKillOnClose}) kills the debuggees, or the kernel detaches them as
 * they are: breakpoints stay planted, the platform's own int3 on the loader's r_brk too, so a debuggee that loads or
 * unloads a shared object afterwards dies of SIGTRAP.
 *
 * <p>A process the debugger's own JVM started with {@link java.lang.ProcessBuilder} cannot be debugged reliably: the
 * JDK's process-reaper thread waits for it with waitpid, and Linux hands the stops and the exit of a child traced by a
 * thread of its own parent's process to any waiting thread of that process, so the reaper can take a stop or the exit
 * before the tracer does (seen: an exit lost, the EXIT_PROCESS never reported). Start such targets through the
 * platform (CreateProcess) or from a shell that exits at once (the target then is no child of the JVM).
 */
package dev.debugport.linux.platform;
