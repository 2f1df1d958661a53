package dev.debugport.analysis.unwind;

import dev.debugport.analysis.MemoryReader;
import dev.debugport.analysis.MemoryWords;
import dev.debugport.analysis.StackFrame;
import java.util.OptionalLong;

/**
 * One unwind step along the frame-pointer chain, for code without call-frame information: a function that keeps a
 * frame pointer ({@code push rbp; mov rbp, rsp}) has the caller's rbp at [rbp] and the return address at [rbp+8], and
 * the caller's rsp is rbp+16.
 */
final class FramePointerStep {
    private final MemoryReader memory;

    FramePointerStep(MemoryReader memory) {
        this.memory = memory;
    }

    Step unwind(Registers frame) {
        if (!frame.known(Registers.RBP) || !frame.known(Registers.RSP)) {
            return new Step.Unknown();
        }
        long rbp = frame.get(Registers.RBP);
        // A frame pointer lies at or above the stack pointer; anything else is rbp used as a general register.
        if (rbp == 0 || Long.compareUnsigned(rbp, frame.sp()) < 0) {
            return new Step.Unknown();
        }
        OptionalLong savedRbp = MemoryWords.qword(memory, rbp);
        OptionalLong returnAddress = MemoryWords.qword(memory, rbp + 8);
        if (savedRbp.isEmpty() || returnAddress.isEmpty()) {
            return new Step.Unknown();
        }
        if (returnAddress.getAsLong() == 0) {
            return new Step.Outermost(rbp + 16, rbp + 16);
        }
        Registers caller = frame.callerDefaults();
        caller.set(Registers.RBP, savedRbp.getAsLong());
        caller.set(Registers.RSP, rbp + 16);
        caller.set(Registers.RIP, returnAddress.getAsLong());
        return new Step.Caller(caller, rbp + 16, StackFrame.Method.FRAME_POINTER, false);
    }
}
