/**
 * The tracer thread: one platform thread per Linux platform that owns every ptrace and waitpid call
 * (shared/DESIGN.md decision 3), turns stops into {@link dev.debugport.linux.tracer.TraceEvent}s and runs the
 * multi-stop operations (launch, attach, all-stop, detach, close). See {@link dev.debugport.linux.tracer.Tracer}.
 */
package dev.debugport.linux.tracer;
