package dev.debugport.linux.tracer;

import java.nio.file.Path;

/**
 * A launched process, stopped at its exec stop (the dynamic loader's entry, before any of its code ran).
 *
 * @param pid      the process id
 * @param program  the resolved program path
 * @param execStop the exec stop (delivered to the listener right after the launch completes)
 */
public record Launched(int pid, Path program, TraceEvent.ExecStop execStop) {
}
