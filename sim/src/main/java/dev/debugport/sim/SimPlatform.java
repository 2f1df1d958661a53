package dev.debugport.sim;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.Platform;
import dev.debugport.kernel.io.FileObject;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.NtStatus;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The simulated platform: processes whose address spaces are sparse page maps ({@link SimProcess}) and threads whose
 * code is Java ({@link GuestCode}) running on virtual threads, each obeying the run state the kernel decides at its
 * safe points.
 *
 * <p>What {@code program} and {@code entry} mean here: {@link #initializeProcess} takes a {@link SimProgram};
 * {@link #startThread} takes the {@link SimProgram} for a process's initial thread (loader, then main), a
 * {@link GuestCode} for any other thread, or null to run the sim ntdll routine or guest routine registered at the
 * thread's start address (DbgUiRemoteBreakin, or a routine a guest created a thread with before). A program with a
 * null main makes a host process: its threads get no Java thread; {@link SimMachine} hands them to the code that
 * drives them.
 *
 * <p>A Java exception escaping guest code is logged and raised in the guest as a non-continuable exception with
 * code {@link #JAVA_EXCEPTION_CODE} (STATUS_STACK_OVERFLOW for a StackOverflowError, STATUS_NO_MEMORY for an
 * OutOfMemoryError): a debugger sees it at first and second chance, and unhandled it ends the process with that
 * code. If something handles it, the thread exits with that code.
 *
 * <p>Create one through {@link SimMachine#create()}, or construct it, pass it to {@code new Kernel(platform)} and
 * call {@link #attach(Kernel)} before creating processes.
 */
public final class SimPlatform implements Platform {
    /** The exception code of a Java exception that escaped guest code (the MSVC C++ exception code, "msc"). */
    public static final int JAVA_EXCEPTION_CODE = SimThread.JAVA_EXCEPTION_CODE;

    /** The {@link #startThread} entry of a host thread. */
    static final Object HOST_ENTRY = new Object() {
        @Override
        public String toString() {
            return "host thread";
        }
    };

    private final SimFileSystem files;
    private final StopPoints stopPoints;
    private final Signals signals;
    private final AddressSpaceBuilder builder;
    private volatile Kernel kernel;

    public SimPlatform() {
        this(new SimFileSystem(), new StopPoints(), new Signals());
    }

    SimPlatform(SimFileSystem files, StopPoints stopPoints, Signals signals) {
        this.files = files;
        this.stopPoints = stopPoints;
        this.signals = signals;
        this.builder = new AddressSpaceBuilder(files);
    }

    /** Binds the platform to the kernel built on it (the kernel's constructor takes the platform, so this comes after). */
    public void attach(Kernel kernel) {
        Objects.requireNonNull(kernel, "kernel");
        if (kernel.platform() != this) {
            throw new IllegalArgumentException("the kernel runs on another platform");
        }
        if (this.kernel != null && this.kernel != kernel) {
            throw new IllegalStateException("already attached to a kernel");
        }
        this.kernel = kernel;
    }

    Kernel kernel() {
        Kernel k = kernel;
        if (k == null) {
            throw new IllegalStateException("SimPlatform.attach(kernel) was not called");
        }
        return k;
    }

    public SimFileSystem files() {
        return files;
    }

    public StopPoints stopPoints() {
        return stopPoints;
    }

    Signals signals() {
        return signals;
    }

    /** The platform's view of a process, or null for one it did not build (the System process). */
    public static SimProcess simProcess(EProcess process) {
        return process.platformData() instanceof SimProcess sp ? sp : null;
    }

    static SimThread simThread(EThread thread) {
        return thread.platformData() instanceof SimThread st ? st : null;
    }

    /** Where a thread is (null for a thread the platform does not run). */
    public static SimThreadState threadState(EThread thread) {
        SimThread st = simThread(thread);
        return st == null ? null : st.state();
    }

    @Override
    public String name() {
        return "sim";
    }

    /**
     * The traits a {@link SimProgram} declares (WoW64, protected), so that Win32 CreateProcess of a WoW64 program
     * makes a WoW64 process; native for anything else.
     */
    @Override
    public dev.debugport.kernel.ps.ProcessTraits traitsOf(Object program) {
        return program instanceof SimProgram p ? p.traits() : dev.debugport.kernel.ps.ProcessTraits.NATIVE;
    }

    /** Implements the platform half of PspCreateProcess for a {@link SimProgram}; see {@link AddressSpaceBuilder}. */
    @Override
    public NtStatus initializeProcess(EProcess process, Object program) {
        if (!(program instanceof SimProgram simProgram)) {
            return NtStatus.STATUS_INVALID_PARAMETER;
        }
        if (simProgram.traits().system()) {
            return NtStatus.STATUS_ACCESS_DENIED;
        }
        return builder.build(process, simProgram);
    }

    /** Implements MmCreateTeb: a two-page TEB in the process's address space (0 if it has none). */
    @Override
    public long allocateTeb(EProcess process) {
        SimProcess sp = simProcess(process);
        return sp == null ? 0 : sp.allocateTeb();
    }

    /** Starts a thread the kernel created (the platform half of PspCreateThread); see the class comment for entries. */
    @Override
    public NtStatus startThread(EThread thread, Object entry) {
        SimProcess sp = simProcess(thread.process());
        if (sp == null) {
            return NtStatus.STATUS_INVALID_PARAMETER;
        }
        if (entry == HOST_ENTRY || (entry instanceof SimProgram p && p.isHost())) {
            thread.setPlatformData(SimThread.host(this, sp, thread));
            return NtStatus.STATUS_SUCCESS;
        }
        GuestCode body;
        boolean initial = false;
        if (entry instanceof SimProgram p) {
            body = p.main();
            initial = true;
        } else if (entry instanceof GuestCode code) {
            body = code;
        } else if (entry == null) {
            body = NtdllRoutines.at(sp, thread.startAddress());
            if (body == null) {
                return NtStatus.STATUS_INVALID_PARAMETER;
            }
        } else {
            return NtStatus.STATUS_INVALID_PARAMETER;
        }
        SimThread st = SimThread.guest(this, sp, thread, body, initial);
        thread.setPlatformData(st);
        st.start();
        return NtStatus.STATUS_SUCCESS;
    }

    /** Wakes the thread wherever it is parked or waiting, so that it obeys its new run state. */
    @Override
    public void runStateChanged(EThread thread) {
        SimThread st = simThread(thread);
        if (st != null) {
            st.runStateChanged();
        } else {
            thread.waiter().poke();
        }
    }

    @Override
    public Amd64Context getContext(EThread thread) {
        SimThread st = simThread(thread);
        return st == null ? Amd64Context.zero() : st.context();
    }

    @Override
    public NtStatus setContext(EThread thread, Amd64Context context) {
        SimThread st = simThread(thread);
        if (st == null || context == null) {
            return NtStatus.STATUS_INVALID_PARAMETER;
        }
        st.setContext(context);
        return NtStatus.STATUS_SUCCESS;
    }

    @Override
    public NtResult<FileObject> openImageFile(String path) {
        return files.open(path);
    }

    /** A guest thread's mailbox (tasks run on the guest thread itself); host threads run tasks inline. */
    @Override
    public Executor continuationExecutor(EThread thread) {
        SimThread st = simThread(thread);
        if (st == null || st.isHost()) {
            return Runnable::run;
        }
        return st.executor();
    }

    @Override
    public long systemRoutineAddress(EProcess process, String ntdllExport) {
        SimProcess sp = simProcess(process);
        return sp == null ? 0 : sp.ntdllRoutine(ntdllExport);
    }
}
