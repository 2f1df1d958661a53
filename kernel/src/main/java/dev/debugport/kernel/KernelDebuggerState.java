package dev.debugport.kernel;

/**
 * The kernel debugger's global flags, read-only, where the rest of the machine (and anti-debug code running on it)
 * reads them: the ntoskrnl exports KdDebuggerEnabled, KdDebuggerNotPresent, KdEnteredDebugger and KdPitchDebugger,
 * and the byte SharedUserData->KdDebuggerEnabled ({@code 0x7FFE02D4}). NtQuerySystemInformation
 * (SystemKernelDebuggerInformation) reports the first two.
 *
 * <p>The kernel holds one ({@link Kernel#kernelDebuggerState()}); the kernel debugger (module {@code kd}) installs its
 * own implementation at KdInitSystem and keeps it up to date ({@code spec/kd.md} §8.2). Without a kernel debugger the
 * machine behaves like a Windows booted without debug options: {@link #NONE}.
 */
public interface KernelDebuggerState {
    /** SharedUserData->KdDebuggerEnabled bit 0: the kernel debugger is enabled. */
    int SHARED_KD_ENABLED = 0x1;
    /** SharedUserData->KdDebuggerEnabled bit 1: a debugger answered on the transport. */
    int SHARED_KD_PRESENT = 0x2;

    /** No kernel debugger: not enabled, not present, never entered, permanently unavailable (no boot options). */
    KernelDebuggerState NONE = new KernelDebuggerState() {
        @Override
        public boolean kdDebuggerEnabled() {
            return false;
        }

        @Override
        public boolean kdDebuggerNotPresent() {
            return true;
        }

        @Override
        public boolean kdEnteredDebugger() {
            return false;
        }

        @Override
        public boolean kdPitchDebugger() {
            return true;
        }

        @Override
        public int sharedUserDataKdDebuggerEnabled() {
            return 0;
        }

        @Override
        public String toString() {
            return "no kernel debugger";
        }
    };

    /** KdDebuggerEnabled: the kernel debugger is active in this kernel. */
    boolean kdDebuggerEnabled();

    /** KdDebuggerNotPresent: no host is talking to the kernel debugger. */
    boolean kdDebuggerNotPresent();

    /** KdEnteredDebugger: KdEnterDebugger ran at least once (never cleared). */
    boolean kdEnteredDebugger();

    /** KdPitchDebugger: the kernel debugger is permanently unavailable. */
    boolean kdPitchDebugger();

    /** SharedUserData->KdDebuggerEnabled: {@link #SHARED_KD_ENABLED} | {@link #SHARED_KD_PRESENT}. */
    int sharedUserDataKdDebuggerEnabled();
}
