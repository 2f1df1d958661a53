package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.Ptrace;

/**
 * Receives the tracer's events. Runs ON the tracer thread, the owner of every tracee, so it may call {@code ptrace}
 * (resume, read registers...) directly with the {@link Ptrace} it is given, and start tracer operations (they begin at
 * once and complete later). It must not block: in particular it must not wait for a future of the same tracer, which
 * can only complete after it returns.
 */
@FunctionalInterface
public interface TraceListener {
    void onEvent(TraceEvent event, Ptrace ptrace);
}
