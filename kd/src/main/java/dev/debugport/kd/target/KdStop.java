package dev.debugport.kd.target;

import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;

/**
 * One stay in the debugger (between KdEnterDebugger and KdExitDebugger): which thread is "current" on processor 0,
 * whose user address space user addresses mean, and the processor state the host reads and edits
 * (KPRCB.ProcessorState: the CONTEXT and the special registers).
 *
 * <p>The current thread is a machine thread (its context comes from {@code Platform.getContext} and goes back through
 * {@code Platform.setContext}), or null for processor 0's idle thread, whose kernel-mode context the engine keeps.
 */
final class KdStop {
    final EThread thread;
    final EProcess process;
    /** The context as the host sees it (for a breakpoint: Rip on the int3, as KiDispatchException backs it up). */
    Amd64Context context;
    /** The host changed the context (SetContext, SetContextEx, or a trace flag from Continue2). */
    boolean contextChanged;
    /** KdpContextSent: a GetContext was answered since the last state change was sent. */
    boolean contextSent;
    /** Continue2's Dr7, kept as every processor's kernel Dr7. */
    long kernelDr7;
    /** KSPECIAL_REGISTERS (control space selector 2), built when first read. */
    byte[] specialRegisters;

    private KdStop(EThread thread, Amd64Context context) {
        this.thread = thread;
        this.process = thread == null ? null : thread.process();
        this.context = context;
    }

    /** A stop of {@code thread} with {@code context} as the host's view. */
    static KdStop of(EThread thread, Amd64Context context) {
        return new KdStop(thread, context);
    }

    /** A stop on processor 0's idle thread, at {@code rip} in the kernel. */
    static KdStop idle(long rip) {
        Amd64Context c = Amd64Context.zero().withContextFlags(Amd64Context.CONTEXT_ALL)
                .withRip(rip)
                .withRsp(KdKernelLayout.IDLE_STACK_TOP - 0x48)
                .with(Amd64Register.RCX, 1) // DBG_STATUS_CONTROL_C, the argument of DbgBreakPointWithStatus
                .with(Amd64Register.EFLAGS, 0x246)
                .with(Amd64Register.CS, 0x10).with(Amd64Register.SS, 0x18)
                .with(Amd64Register.DS, 0x2B).with(Amd64Register.ES, 0x2B)
                .with(Amd64Register.FS, 0x53).with(Amd64Register.GS, 0x2B);
        return new KdStop(null, c);
    }

    boolean isIdle() {
        return thread == null;
    }

    long pc() {
        return context.rip();
    }
}
