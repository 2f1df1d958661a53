package dev.debugport.analysis;

import dev.debugport.nt.Amd64Context;
import java.util.List;

/**
 * Unwinds a thread's stack: with the .eh_frame call-frame information of the module that contains each frame's
 * instruction, falling back to the frame-pointer chain (rbp) where a module has none.
 */
public interface StackWalker {
    /** The frames of a thread stopped with {@code context}, innermost first, at most {@code maxFrames}. */
    List<StackFrame> walk(Amd64Context context, int maxFrames);
}
