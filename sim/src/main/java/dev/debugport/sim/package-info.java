/**
 * The simulated platform: a deterministic {@link dev.debugport.kernel.Platform} on which guest programs are Java code
 * written against {@link dev.debugport.sim.GuestApi}. {@link dev.debugport.sim.SimMachine} builds a kernel on it and
 * adds host threads (debuggers and tests driving Nt* calls), stop points and signals for reproducing races.
 *
 * <p>Each guest thread runs on its own Java (virtual) thread. Every guest API call is a safe point where the thread
 * obeys the run state the kernel decided (suspend, freeze, termination); a guest that waits for the kernel (a debug
 * event being continued) runs the kernel's continuation tasks on its own Java thread, so the work NT does in the
 * debuggee's context after a continue happens there too.
 */
package dev.debugport.sim;
