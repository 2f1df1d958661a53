package dev.debugport.debugger.session;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.KernelDebuggerState;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;

/**
 * The ntdll information calls a debugger makes from its own thread (user mode): NtQueryInformationProcess /
 * NtSetInformationProcess (ProcessDebugPort, ProcessDebugObjectHandle, ProcessDebugFlags), NtQueryInformationThread
 * (ThreadHideFromDebugger) and NtQuerySystemInformation(SystemKernelDebuggerInformation).
 */
public final class NtQueries {
    /** A query's status and value. */
    public record Answer(NtStatus status, long value) {
    }

    private final Kernel kernel;
    private final EThread caller;

    public NtQueries(Kernel kernel, EThread caller) {
        this.kernel = kernel;
        this.caller = caller;
    }

    /** NtQueryInformationProcess. */
    public Answer queryProcess(Handle process, int infoClass, int length) {
        UserPointer<Long> value = UserPointer.of(0L);
        NtStatus status = kernel.processInformation().query(caller, ProcessorMode.USER, process, infoClass, value, length, null);
        return new Answer(status, value.get());
    }

    /** NtQueryInformationThread. */
    public Answer queryThread(Handle thread, int infoClass, int length) {
        UserPointer<Long> value = UserPointer.of(0L);
        NtStatus status = kernel.processInformation().queryThread(caller, ProcessorMode.USER, thread, infoClass, value, length, null);
        return new Answer(status, value.get());
    }

    /** NtSetInformationProcess(ProcessDebugFlags): whether children inherit the debug object. */
    public NtStatus setDebugFlags(Handle process, boolean inherit) {
        return kernel.processInformation().setDebugFlags(caller, ProcessorMode.USER, process, inherit ? 1 : 0, 4);
    }

    /** NtClose, for a handle a query opened in the debugger's table. */
    public void close(Handle handle) {
        kernel.services().close(caller, ProcessorMode.USER, handle);
    }

    /** What NtQuerySystemInformation(SystemKernelDebuggerInformation) reports. */
    public KernelDebuggerState kernelDebugger() {
        return kernel.kernelDebuggerState();
    }
}
