package dev.debugport.sim;

/** Where a simulated thread is, as far as the platform knows (for tests that must know a guest is parked). */
public enum SimThreadState {
    /** Created; waiting to be runnable for the first time or reporting its creation (DbgkCreateThread). */
    STARTING,
    /** Running guest code (or the loader). */
    RUNNING,
    /** Parked at a safe point because it is suspended or its process is frozen. */
    PARKED,
    /** In a guest wait ({@link GuestApi#waitFor}, {@link GuestApi#waitForThread}). */
    WAITING,
    /** Blocked at an armed stop point. */
    STOPPED,
    /** Waiting for the kernel to complete something (a debug event to be continued, its exit to be reported). */
    IN_KERNEL,
    /** Running PspExitThread. */
    EXITING,
    /** Gone. */
    EXITED,
    /** A host thread: driven by Java code outside the sim. */
    HOST
}
