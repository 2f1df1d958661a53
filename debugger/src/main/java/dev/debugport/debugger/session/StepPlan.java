package dev.debugport.debugger.session;

import dev.debugport.debugger.target.Target;
import dev.debugport.debugger.target.TargetThread;

/**
 * A step in progress: single steps of {@code thread} (t), or running to {@code address} in it with its stack
 * pointer at least {@code minSp} (p over a call, gu).
 */
record StepPlan(Target target, TargetThread thread, long address, long minSp, boolean runTo) {
}
