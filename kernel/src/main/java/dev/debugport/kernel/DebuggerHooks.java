package dev.debugport.kernel;

import dev.debugport.kernel.ob.NtObject;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The calls the kernel makes into the user-mode debugging subsystem (Dbgk) at NT's call sites, so that the kernel
 * depends on no debugger. Each notification completes when the debugger has continued the event (or at once when
 * the process is not debugged): a simulated thread blocks on the completion, the Linux tracer resumes the tracee
 * when it fires.
 */
public interface DebuggerHooks {
    /** DbgkCreateThread: in a new thread, before its first user instruction (from PspUserThreadStartup). */
    CompletionStage<Void> createThread(EThread thread);

    /** DbgkExitThread: a thread that is not the last one exits (from PspExitThread). */
    CompletionStage<Void> exitThread(EThread thread, int exitStatus);

    /** DbgkExitProcess: the last thread exits (from PspExitThread). */
    CompletionStage<Void> exitProcess(EThread lastThread, int exitStatus);

    /** DbgkMapViewOfSection: a user-mode mapping of an image view into {@code target}. */
    CompletionStage<Void> mapViewOfSection(EProcess target, EThread mapper, ImageInfo image, boolean userMode);

    /** DbgkUnMapViewOfSection: a user-mode unmapping of an image view. */
    CompletionStage<Void> unmapViewOfSection(EProcess target, EThread mapper, long base, boolean userMode);

    /**
     * DbgkForwardException: offers an exception to the debug port (or the exception port).
     *
     * @return true if the debugger handled it (the thread resumes from its context as the debugger left it)
     */
    CompletionStage<Boolean> forwardException(EThread thread, ExceptionRecord record, boolean toDebugPort, boolean secondChance);

    /**
     * DbgkCopyProcessDebugPort: gives a new process its debug port, either the debug object handle passed to the
     * creation (referenced with DEBUG_OBJECT_ADD_REMOVE_PROCESS in the creator's handle table) or the parent's.
     *
     * @return a failure status aborts the creation
     */
    NtStatus copyProcessDebugPort(EThread creator, EProcess child, EProcess parent, Handle debugObject, boolean noDebugInherit);

    /** Whether an object is a debug object (for ProcessDebugObjectHandle queries). */
    boolean isDebugObject(NtObject object);

    /** Hooks that do nothing: no user-mode debugger is installed. */
    DebuggerHooks NONE = new DebuggerHooks() {
        private final CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Void> createThread(EThread thread) {
            return done;
        }

        @Override
        public CompletionStage<Void> exitThread(EThread thread, int exitStatus) {
            return done;
        }

        @Override
        public CompletionStage<Void> exitProcess(EThread lastThread, int exitStatus) {
            return done;
        }

        @Override
        public CompletionStage<Void> mapViewOfSection(EProcess target, EThread mapper, ImageInfo image, boolean userMode) {
            return done;
        }

        @Override
        public CompletionStage<Void> unmapViewOfSection(EProcess target, EThread mapper, long base, boolean userMode) {
            return done;
        }

        @Override
        public CompletionStage<Boolean> forwardException(EThread thread, ExceptionRecord record, boolean toDebugPort, boolean secondChance) {
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public NtStatus copyProcessDebugPort(EThread creator, EProcess child, EProcess parent, Handle debugObject, boolean noDebugInherit) {
            return NtStatus.STATUS_SUCCESS;
        }

        @Override
        public boolean isDebugObject(NtObject object) {
            return false;
        }
    };
}
