package dev.debugport.kd.host;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.message.KdArchitecture;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.NtStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * kd's commands that run the target: {@code .breakin}, {@code g/gh/gn}, {@code t}, {@code p} and {@code .reboot},
 * with the host breakpoints inserted while it runs.
 */
final class KdExecutionCommands {
    private final KdTarget target;
    private final KdConsole console;
    private final KdExpression expression;
    private final KdStopPrinter stopPrinter;
    private final KdRegisterCommand registers;
    private final boolean interactive;
    private final AtomicBoolean ownNextStop = new AtomicBoolean();

    KdExecutionCommands(KdTarget target, KdConsole console, KdExpression expression, KdStopPrinter stopPrinter,
            KdRegisterCommand registers, boolean interactive) {
        this.target = target;
        this.console = console;
        this.expression = expression;
        this.stopPrinter = stopPrinter;
        this.registers = registers;
        this.interactive = interactive;
    }

    /** {@code .breakin}: the break-in byte, then (batch mode) wait for the target to stop. */
    void breakIn() {
        KdHostClient c = target.connected();
        if (c.isStopped()) {
            console.println("kd: the target is already stopped");
            return;
        }
        c.clearPendingStops();
        c.breakIn();
        if (!interactive && target.awaitStop() == null) {
            throw target.notWithinStopTimeout("stop");
        }
    }

    /** g / gn / t / p: resumes, stepping off a breakpoint or a hard-coded int3 at the PC first. */
    void resume(NtStatus status, boolean trace) {
        KdHostClient c = target.stopped();
        KdHostBreakpoints breakpoints = target.breakpoints();
        KdStateChange stop = c.currentStop();
        long pc = stop == null ? 0 : stop.pc();
        boolean ourBreakpointAtPc = breakpoints.anyAt(pc);
        if (stop != null && !ourBreakpointAtPc && stop.isException(NtStatus.STATUS_BREAKPOINT)
                && stop.instructionStream().length() > 0 && stop.instructionStream().getUnsigned(0) == 0xCC) {
            advancePc(1); // a hard-coded int3: continue after it, as dbgeng does
        }
        if (trace) {
            breakpoints.insert(pc);
            KdStateChange next = stepAndWait(status);
            if (next != null) {
                if (next.isException(NtStatus.STATUS_SINGLE_STEP)) {
                    registers.registers("");
                } else {
                    stopPrinter.printStop(next);
                }
            }
            return;
        }
        if (ourBreakpointAtPc) {
            KdStateChange next = stepAndWait(status);
            if (next == null) {
                return; // still running (the step left the code the machine interprets)
            }
            if (!next.isException(NtStatus.STATUS_SINGLE_STEP)) {
                stopPrinter.printStop(next);
                return;
            }
        }
        breakpoints.insert(Long.MIN_VALUE);
        c.clearPendingStops();
        c.continueExecution(status, false);
    }

    /**
     * {@code p}: a call is stepped over as a whole (dbgeng's step over: a breakpoint on the instruction after it, then
     * go; the stop there is shown like a step's); any other instruction is traced as {@code t} does. The breakpoint
     * is a plain one on the return address: a recursive call that reaches it before the outer call returns stops
     * there, and another breakpoint or an exception inside the call stops where it happens.
     */
    void stepOver() {
        KdHostClient c = target.stopped();
        KdHostBreakpoints breakpoints = target.breakpoints();
        KdStateChange stop = c.currentStop();
        long pc = expression.evaluate(target.arch() == KdArchitecture.AMD64 ? "@rip" : "@eip");
        boolean hardCodedBreak = stop != null && stop.pc() == pc && stop.isException(NtStatus.STATUS_BREAKPOINT)
                && !breakpoints.anyAt(pc);
        OptionalInt call = hardCodedBreak ? OptionalInt.empty()
                : CallInstruction.length(c.readVirtual(pc, CallInstruction.MAX_LENGTH), target.arch());
        if (call.isEmpty()) {
            resume(NtStatus.DBG_CONTINUE, true);
            return;
        }
        long returnAddress = pc + call.getAsInt();
        breakpoints.insert(pc);
        if (!breakpoints.anyAt(returnAddress) && !breakpoints.insertStepOver(c, returnAddress)) {
            throw new KdHostException("cannot write a breakpoint at " + target.addr(returnAddress) + " to step over the call");
        }
        KdStateChange next = continueAndWait(NtStatus.DBG_CONTINUE, false);
        if (next == null) {
            return;
        }
        if (next.pc() == returnAddress && next.isException(NtStatus.STATUS_BREAKPOINT)) {
            registers.registers("");
        } else {
            stopPrinter.printStop(next);
        }
    }

    /** Single-steps once with the stop handed to us (not printed by the listener). */
    private KdStateChange stepAndWait(NtStatus status) {
        return continueAndWait(status, true);
    }

    /** Resumes (tracing one instruction, or not) and waits for the next stop, which is ours to print. */
    private KdStateChange continueAndWait(NtStatus status, boolean trace) {
        KdHostClient c = target.connected();
        c.clearPendingStops();
        ownNextStop.set(true);
        try {
            c.continueExecution(status, trace);
            KdStateChange next = target.awaitStop();
            if (next == null) {
                console.println("kd: the step did not complete (target running)");
            }
            return next;
        } finally {
            ownNextStop.set(false);
        }
    }

    /** @return true while a step waits for its stop, which the step prints itself (the listener must not) */
    boolean ownsNextStop() {
        return ownNextStop.get();
    }

    private void advancePc(long delta) {
        KdHostClient c = target.connected();
        if (c.architecture() == KdArchitecture.AMD64) {
            Amd64Context ctx = c.getContext();
            KdTarget.requireSuccess(c.setContext(ctx.withRip(ctx.rip() + delta)), "SetContext");
        } else {
            byte[] image = c.getContextImage().toByteArray();
            int at = X86ContextLayout.offsetOf("eip").orElseThrow();
            ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(at, (int) (b.getInt(at) + delta));
            KdTarget.requireSuccess(c.setContextImage(ByteString.of(image)), "SetContext");
        }
    }

    /** {@code .reboot}: DbgKdRebootApi, then (batch mode) wait for the target to come back and stop. */
    void reboot() {
        KdHostClient c = target.stopped();
        target.breakpoints().forgetInserted();
        c.clearPendingStops();
        c.reboot();
        console.println("Shutdown occurred; the target is rebooting...");
        if (!interactive && target.awaitStop() == null) {
            throw target.notWithinStopTimeout("come back");
        }
    }
}
