package dev.debugport.kernel.ps;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.ob.NtObject;
import dev.debugport.kernel.ob.ObjectManager;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.Handle;
import dev.debugport.nt.InformationClass;
import dev.debugport.nt.NtStatus;

/**
 * The information classes of processes and threads that debuggers and anti-debug code use
 * (NtQueryInformationProcess / NtSetInformationProcess / NtQueryInformationThread / NtSetInformationThread):
 * ProcessDebugPort, ProcessDebugObjectHandle, ProcessDebugFlags, ThreadHideFromDebugger, ThreadBasicInformation.
 * Values are returned as longs; pointer-size classes take length 8, ULONG classes length 4.
 */
public final class ProcessInformation {
    private static final int POINTER_SIZE = 8;
    private static final int ULONG_SIZE = 4;

    private final Kernel kernel;

    public ProcessInformation(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * Implements NtQueryInformationProcess for the debug classes (spec dbgk.md §10.6).
     *
     * @param buffer receives the value (a handle value for ProcessDebugObjectHandle)
     * @param returnLength may be null
     */
    public NtStatus query(EThread caller, ProcessorMode mode, Handle process, int infoClass, UserPointer<Long> buffer, int length, UserPointer<Integer> returnLength) {
        if (length != 0) {
            NtStatus probe = buffer.probe();
            if (!probe.isSuccess()) {
                return probe;
            }
        }
        if (returnLength != null && !returnLength.probe().isSuccess()) {
            return returnLength.probe();
        }
        int expected = switch (infoClass) {
            case InformationClass.ProcessDebugPort, InformationClass.ProcessDebugObjectHandle -> POINTER_SIZE;
            case InformationClass.ProcessDebugFlags -> ULONG_SIZE;
            default -> -1;
        };
        if (expected < 0) {
            return NtStatus.STATUS_INVALID_INFO_CLASS;
        }
        if (length != expected) {
            return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
        }
        ObjectManager.Caller c = kernel.caller(caller, mode);
        NtResult<EProcess> ref = kernel.objectManager().referenceByHandle(c, process, AccessMask.PROCESS_QUERY_INFORMATION, EProcess.TYPE, EProcess.class);
        if (!ref.isSuccess()) {
            return ref.status();
        }
        EProcess target = ref.value();
        try {
            NtObject port = target.debugPort();
            switch (infoClass) {
                case InformationClass.ProcessDebugPort -> buffer.set(port == null ? 0L : -1L);
                case InformationClass.ProcessDebugFlags -> buffer.set(target.hasFlag(ProcessFlags.NO_DEBUG_INHERIT) ? 0L : 1L);
                default -> {
                    if (port == null || !kernel.debuggerHooks().isDebugObject(port)) {
                        buffer.set(0L);
                        setLength(returnLength, expected);
                        return NtStatus.STATUS_PORT_NOT_SET;
                    }
                    Handle h = kernel.objectManager().openByPointer(caller.process().handleTable(), port, AccessMask.MAXIMUM_ALLOWED);
                    buffer.set(h.value());
                }
            }
            setLength(returnLength, expected);
            return NtStatus.STATUS_SUCCESS;
        } finally {
            target.dereference();
        }
    }

    /**
     * Implements NtSetInformationProcess(ProcessDebugFlags): 1 clears NO_DEBUG_INHERIT (children inherit the port),
     * 0 sets it.
     */
    public NtStatus setDebugFlags(EThread caller, ProcessorMode mode, Handle process, long value, int length) {
        if (length != ULONG_SIZE) {
            return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
        }
        if ((value & ~1L) != 0) {
            return NtStatus.STATUS_INVALID_PARAMETER;
        }
        NtResult<EProcess> ref = kernel.objectManager().referenceByHandle(kernel.caller(caller, mode), process, AccessMask.PROCESS_SET_INFORMATION, EProcess.TYPE, EProcess.class);
        if (!ref.isSuccess()) {
            return ref.status();
        }
        if (value == 1) {
            ref.value().clearFlags(ProcessFlags.NO_DEBUG_INHERIT);
        } else {
            ref.value().setFlags(ProcessFlags.NO_DEBUG_INHERIT);
        }
        ref.value().dereference();
        return NtStatus.STATUS_SUCCESS;
    }

    /** Implements NtSetInformationThread(ThreadHideFromDebugger): zero-length buffer; sets the flag for good. */
    public NtStatus hideFromDebugger(EThread caller, ProcessorMode mode, Handle thread, int length) {
        if (length != 0) {
            return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
        }
        NtResult<EThread> ref = kernel.objectManager().referenceByHandle(kernel.caller(caller, mode), thread, AccessMask.THREAD_SET_INFORMATION, EThread.TYPE, EThread.class);
        if (!ref.isSuccess()) {
            return ref.status();
        }
        ref.value().setCrossThreadFlags(ThreadFlags.HIDE_FROM_DEBUGGER);
        ref.value().dereference();
        return NtStatus.STATUS_SUCCESS;
    }

    /**
     * Implements NtQueryInformationThread for ThreadHideFromDebugger (a one-byte BOOLEAN) and ThreadBasicInformation
     * (here: the TEB address, which is what DbgUiConvertStateChangeStructure reads from it).
     */
    public NtStatus queryThread(EThread caller, ProcessorMode mode, Handle thread, int infoClass, UserPointer<Long> buffer, int length, UserPointer<Integer> returnLength) {
        int expected = switch (infoClass) {
            case InformationClass.ThreadHideFromDebugger -> 1;
            case InformationClass.ThreadBasicInformation -> 0x30;
            default -> -1;
        };
        if (expected < 0) {
            return NtStatus.STATUS_INVALID_INFO_CLASS;
        }
        if (length != expected) {
            return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
        }
        if (!buffer.probe().isSuccess()) {
            return buffer.probe();
        }
        NtResult<EThread> ref = kernel.objectManager().referenceByHandle(kernel.caller(caller, mode), thread, AccessMask.THREAD_QUERY_INFORMATION, EThread.TYPE, EThread.class);
        if (!ref.isSuccess()) {
            return ref.status();
        }
        EThread t = ref.value();
        if (infoClass == InformationClass.ThreadHideFromDebugger) {
            buffer.set(t.hasCrossThreadFlag(ThreadFlags.HIDE_FROM_DEBUGGER) ? 1L : 0L);
        } else {
            buffer.set(t.teb() == null ? 0L : t.teb().address());
        }
        t.dereference();
        setLength(returnLength, expected);
        return NtStatus.STATUS_SUCCESS;
    }

    private static void setLength(UserPointer<Integer> returnLength, int value) {
        if (returnLength != null) {
            returnLength.set(value);
        }
    }
}
