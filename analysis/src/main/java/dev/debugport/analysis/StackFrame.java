package dev.debugport.analysis;

import java.util.OptionalLong;

/**
 * One frame of a call stack, as {@code k} prints it.
 *
 * @param number          0 for the innermost frame
 * @param instruction     the frame's instruction pointer (the return address for every frame but the first)
 * @param lookupAddress   the address that names the frame's function and its unwind and debugging information: the
 *                        instruction itself in frame 0 and in a frame a signal interrupted (its pc was saved, not
 *                        pushed by a call), else the byte before the return address, inside the call (which may be
 *                        its function's last instruction, so the return address may already be the next function)
 * @param stackPointer    the frame's stack pointer (Child-SP)
 * @param returnAddress   the caller's instruction pointer (RetAddr), 0 for the outermost frame
 * @param arguments       the first four stack words above the return address (what {@code kb} shows)
 * @param method          how this frame was recovered: the thread's context for frame 0, else the call-frame
 *                        information or the frame-pointer chain of the frame below it
 * @param cfa             the canonical frame address: the caller's rsp before its call, which the frame's unwinding
 *                        computed (DWARF's DW_OP_call_frame_cfa, the frame base gcc gives functions); empty where
 *                        neither the CFI nor the frame-pointer chain describes the frame
 * @param registers       the frame's registers as far as they are known there (every one in frame 0)
 */
public record StackFrame(int number, long instruction, long lookupAddress, long stackPointer, long returnAddress, long[] arguments, Method method,
                         OptionalLong cfa, FrameRegisters registers) {
    /** How a frame was recovered. */
    public enum Method {
        CONTEXT,
        CALL_FRAME_INFORMATION,
        FRAME_POINTER
    }
}
