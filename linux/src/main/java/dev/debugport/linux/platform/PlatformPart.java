package dev.debugport.linux.platform;

import dev.debugport.kernel.Kernel;
import dev.debugport.linux.ptrace.Ptrace;
import dev.debugport.linux.tracer.Tracer;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A part of the Linux platform working on the tracer thread, with the state every part shares: the kernel (bound
 * after the platform is built), the tracer with its ptrace and executor, the process table, the hand-offs to the
 * tracer thread, and the registers and images of the traced threads and processes.
 */
abstract class PlatformPart {
    /** The state the platform hands to each of its parts (one instance, built by {@link LinuxPlatform}). */
    record Shared(Supplier<Kernel> kernel, Tracer tracer, Map<Integer, LinuxProcess> processes, TracerCalls calls,
            ThreadRegisters registers, ProcessImages images) {
    }

    final Supplier<Kernel> kernel;
    final Tracer tracer;
    final Ptrace pt;
    final Executor tracerExecutor;
    final Map<Integer, LinuxProcess> processes;
    final TracerCalls calls;
    final ThreadRegisters registers;
    final ProcessImages images;

    PlatformPart(Shared shared) {
        this.kernel = shared.kernel();
        this.tracer = shared.tracer();
        this.pt = tracer.ptrace();
        this.tracerExecutor = tracer.executor();
        this.processes = shared.processes();
        this.calls = shared.calls();
        this.registers = shared.registers();
        this.images = shared.images();
    }
}
