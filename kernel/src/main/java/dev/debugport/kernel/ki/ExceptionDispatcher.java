package dev.debugport.kernel.ki;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.ExceptionRecord;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * KiDispatchException for user-mode exceptions (spec dbgk.md §8.1): first chance to the kernel debugger when the
 * process has no debug port, then to the debug port, then to the program's own handlers, then second chance to the
 * debug port and the exception port, and finally termination of the process with the exception code.
 */
public final class ExceptionDispatcher {
    /** How a dispatched exception ended. */
    public enum Outcome {
        /** The kernel debugger handled it: resume from the (possibly edited) context. */
        HANDLED_BY_KERNEL_DEBUGGER,
        /** A user-mode debugger handled it at first chance: resume from the (possibly edited) context. */
        HANDLED_BY_DEBUGGER_FIRST_CHANCE,
        /** The program's own handler handled it. */
        HANDLED_BY_PROGRAM,
        /** A user-mode debugger handled it at second chance: resume from the (possibly edited) context. */
        HANDLED_BY_DEBUGGER_SECOND_CHANCE,
        /** Nobody handled it: the process is being terminated with the exception code. */
        TERMINATED
    }

    /** The program's own exception handlers (ntdll's KiUserExceptionDispatcher: VEH, then SEH). */
    @FunctionalInterface
    public interface UserHandlers {
        /** @return true if a handler handled the exception (EXCEPTION_CONTINUE_EXECUTION) */
        CompletionStage<Boolean> dispatch(ExceptionRecord record);
    }

    /**
     * The kernel debugger's hook (KiDebugRoutine). It sees a user-mode first-chance exception only when the
     * process has no debug port.
     */
    @FunctionalInterface
    public interface KernelDebugRoutine {
        /** @return true if the kernel debugger handled the exception */
        CompletionStage<Boolean> trap(EThread thread, ExceptionRecord record, boolean firstChance);
    }

    private final Kernel kernel;
    private volatile KernelDebugRoutine kiDebugRoutine;

    public ExceptionDispatcher(Kernel kernel) {
        this.kernel = kernel;
    }

    /** Installs or removes (null) the KiDebugRoutine hook. */
    public void setKernelDebugRoutine(KernelDebugRoutine routine) {
        this.kiDebugRoutine = routine;
    }

    /** Implements KiDispatchException for an exception raised in user mode by {@code thread}. */
    public CompletionStage<Outcome> dispatch(EThread thread, ExceptionRecord record, UserHandlers handlers) {
        return firstChance(thread, record, handlers);
    }

    private CompletionStage<Outcome> firstChance(EThread thread, ExceptionRecord record, UserHandlers handlers) {
        KernelDebugRoutine kd = kiDebugRoutine;
        CompletionStage<Boolean> kernelDebugger = kd != null && thread.process().debugPort() == null
                ? kd.trap(thread, record, true)
                : CompletableFuture.completedFuture(false);
        Executor onThread = kernel.platform().continuationExecutor(thread);
        return kernelDebugger.thenComposeAsync(kdHandled -> {
            if (kdHandled) {
                return CompletableFuture.completedFuture(Outcome.HANDLED_BY_KERNEL_DEBUGGER);
            }
            return kernel.debuggerHooks().forwardException(thread, record, true, false).thenComposeAsync(dbgHandled -> {
                if (dbgHandled) {
                    return CompletableFuture.completedFuture(Outcome.HANDLED_BY_DEBUGGER_FIRST_CHANCE);
                }
                return handlers.dispatch(record).thenComposeAsync(programHandled -> programHandled
                        ? CompletableFuture.completedFuture(Outcome.HANDLED_BY_PROGRAM)
                        : secondChance(thread, record), onThread);
            }, onThread);
        }, onThread);
    }

    /** The second-chance path: NtRaiseException(FirstChance = FALSE) from the user dispatcher. */
    public CompletionStage<Outcome> secondChance(EThread thread, ExceptionRecord record) {
        Executor onThread = kernel.platform().continuationExecutor(thread);
        return kernel.debuggerHooks().forwardException(thread, record, true, true).thenComposeAsync(handled -> {
            if (handled) {
                return CompletableFuture.completedFuture(Outcome.HANDLED_BY_DEBUGGER_SECOND_CHANCE);
            }
            return kernel.debuggerHooks().forwardException(thread, record, false, true).thenApplyAsync(portHandled -> {
                if (portHandled) {
                    return Outcome.HANDLED_BY_DEBUGGER_SECOND_CHANCE;
                }
                kernel.processes().terminateProcess(thread.process(), record.code());
                return Outcome.TERMINATED;
            }, onThread);
        }, onThread);
    }
}
