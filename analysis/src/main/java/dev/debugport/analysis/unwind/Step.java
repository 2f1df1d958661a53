package dev.debugport.analysis.unwind;

import dev.debugport.analysis.StackFrame;

/** What one unwind step found out about a frame's caller. */
sealed interface Step {
    /**
     * The caller's registers.
     *
     * @param caller      its registers (pc = the return address, sp = this frame's CFA)
     * @param argumentsAt where the four stack words {@code kb} shows start: just above the return address's slot
     * @param method      how the caller was found
     * @param exactPc     the caller's pc is the instruction itself, not a return address (the frame unwound was a
     *                    signal trampoline), so its own lookup must not step back one byte
     */
    record Caller(Registers caller, long argumentsAt, StackFrame.Method method, boolean exactPc) implements Step {
    }

    /**
     * The unwind information says the stack ends here (the return address is undefined: {@code _start}).
     *
     * @param cfa the frame's CFA all the same
     */
    record Outermost(long argumentsAt, long cfa) implements Step {
    }

    /** Nothing describes this frame, or what does could not be applied. */
    record Unknown() implements Step {
    }
}
