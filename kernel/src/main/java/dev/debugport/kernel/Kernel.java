package dev.debugport.kernel;

import dev.debugport.kernel.ki.ExceptionDispatcher;
import dev.debugport.kernel.ob.ObjectManager;
import dev.debugport.kernel.ps.ClientIdTable;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ProcessInformation;
import dev.debugport.kernel.ps.ProcessManager;
import dev.debugport.kernel.ps.ProcessTraits;

/**
 * The NT machine's kernel: the object manager, the process and thread manager, the exception dispatcher and the
 * hooks the debuggers install, on top of one {@link Platform}. The System process (PID 4) exists from the start.
 */
public final class Kernel {
    /** The System process's id. */
    public static final long SYSTEM_PID = 4;

    private final Platform platform;
    private final ObjectManager objectManager = new ObjectManager();
    private final dev.debugport.kernel.ke.MachineRunState machineRunState = new dev.debugport.kernel.ke.MachineRunState();
    private final dev.debugport.kernel.ke.SystemClock clock = new dev.debugport.kernel.ke.SystemClock();
    private volatile KernelDebuggerState kernelDebuggerState = KernelDebuggerState.NONE;
    private final ClientIdTable clientIds = new ClientIdTable(machineRunState);
    private final ProcessManager processManager;
    private final ProcessInformation processInformation;
    private final ExceptionDispatcher exceptionDispatcher;
    private final NtServices services;
    private final EProcess systemProcess;
    private volatile DebuggerHooks debuggerHooks = DebuggerHooks.NONE;

    public Kernel(Platform platform) {
        this.platform = platform;
        this.processManager = new ProcessManager(this);
        this.processInformation = new ProcessInformation(this);
        this.exceptionDispatcher = new ExceptionDispatcher(this);
        this.services = new NtServices(this);
        this.systemProcess = new EProcess(SYSTEM_PID, 0, null, ProcessTraits.SYSTEM);
        clientIds.registerProcess(systemProcess);
    }

    public Platform platform() {
        return platform;
    }

    public ObjectManager objectManager() {
        return objectManager;
    }

    public ClientIdTable clientIds() {
        return clientIds;
    }

    public ProcessManager processes() {
        return processManager;
    }

    public ProcessInformation processInformation() {
        return processInformation;
    }

    public ExceptionDispatcher exceptionDispatcher() {
        return exceptionDispatcher;
    }

    /** The Ob/Ps/Mm system services. */
    public NtServices services() {
        return services;
    }

    /** PsInitialSystemProcess. */
    public EProcess systemProcess() {
        return systemProcess;
    }

    public DebuggerHooks debuggerHooks() {
        return debuggerHooks;
    }

    /** Installs the user-mode debugging subsystem's hooks (DbgkInitialize does this once). */
    public void installDebuggerHooks(DebuggerHooks hooks) {
        this.debuggerHooks = hooks;
    }

    /** The object-manager view of a thread calling a service in the given mode. */
    public ObjectManager.Caller caller(EThread thread, ProcessorMode mode) {
        return new ObjectManager.Caller(thread.process().handleTable(), thread.process(), thread, mode);
    }

    /** The object-manager view of kernel code running in the System process (kernel handles). */
    public ObjectManager.Caller kernelCaller() {
        return new ObjectManager.Caller(systemProcess.handleTable(), systemProcess, null, ProcessorMode.KERNEL);
    }

    // ---- kernel debugger support (spec kd.md §8): clock, machine-wide freeze, the debugger's global flags ----

    /** The clock interrupt (KeUpdateSystemTime) and its tick hooks; it runs only while a hook is registered. */
    public dev.debugport.kernel.ke.SystemClock clock() {
        return clock;
    }

    /** The machine-wide freeze count that KeFreezeExecution raises. */
    public dev.debugport.kernel.ke.MachineRunState machineRunState() {
        return machineRunState;
    }

    /**
     * Implements KeFreezeExecution: no thread of the machine runs until {@link #thawExecution()}; every platform is told
     * for each thread (a simulated guest parks at its next safe point).
     */
    public void freezeExecution() {
        machineRunState.freeze();
        forEachThread(thread -> platform.runStateChanged(thread));
    }

    /** Implements KeThawExecution: undoes one {@link #freezeExecution()}. */
    public void thawExecution() {
        machineRunState.thaw();
        forEachThread(thread -> {
            thread.runState().fireIfRunnable();
            platform.runStateChanged(thread);
        });
    }

    private void forEachThread(java.util.function.Consumer<EThread> action) {
        for (EProcess process : clientIds.allProcesses()) {
            for (EThread thread : process.threads()) {
                if (!thread.hasExited()) {
                    action.accept(thread);
                }
            }
        }
    }

    /** The kernel debugger's global flags (KdDebuggerEnabled, KdDebuggerNotPresent, ...), read-only. */
    public KernelDebuggerState kernelDebuggerState() {
        return kernelDebuggerState;
    }

    /** Installs the kernel debugger's view of its flags (KdInitSystem does this). */
    public void installKernelDebuggerState(KernelDebuggerState state) {
        this.kernelDebuggerState = state == null ? KernelDebuggerState.NONE : state;
    }
}
