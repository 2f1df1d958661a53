package dev.debugport.kernel;

/** KPROCESSOR_MODE: whether a service was called from user mode (probes and access checks apply) or kernel mode. */
public enum ProcessorMode {
    KERNEL,
    USER
}
