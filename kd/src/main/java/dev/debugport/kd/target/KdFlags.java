package dev.debugport.kd.target;

import dev.debugport.kernel.KernelDebuggerState;

/**
 * The kernel debugger's global flags ({@code spec/kd.md} §8.2), as the engine sets and clears them; the kernel reads
 * them through {@link KernelDebuggerState} ({@code Kernel.kernelDebuggerState()}).
 *
 * <table>
 *   <caption>Who sets and clears what</caption>
 *   <tr><th>flag</th><th>set</th><th>cleared</th></tr>
 *   <tr><td>KdDebuggerEnabled</td><td>KdInitSystem when enabling; KdEnableDebugger</td><td>KdDisableDebugger</td></tr>
 *   <tr><td>SharedUserData KdDebuggerEnabled bit 0 / bit 1</td><td>with KdDebuggerEnabled / when a packet leader
 *       arrives</td><td>whole byte with KdDebuggerEnabled; bit 1 when the host is lost</td></tr>
 *   <tr><td>KdDebuggerNotPresent</td><td>KdInitSystem when KD stays off; when a state change goes unacknowledged
 *       after all retries, or the transport closes</td><td>as soon as any packet leader arrives</td></tr>
 *   <tr><td>KdPitchDebugger</td><td>no boot options, NODEBUG</td><td>CRASHDEBUG, a successful enable</td></tr>
 *   <tr><td>KdEnteredDebugger</td><td>every KdEnterDebugger</td><td>never (a reboot starts over)</td></tr>
 * </table>
 *
 * Volatile fields: the engine writes them on its own threads, anyone reads them.
 */
final class KdFlags implements KernelDebuggerState {
    private volatile boolean enabled;
    private volatile boolean notPresent;
    private volatile boolean entered;
    private volatile boolean pitch = true;
    private volatile int sharedUserData;

    @Override
    public boolean kdDebuggerEnabled() {
        return enabled;
    }

    @Override
    public boolean kdDebuggerNotPresent() {
        return notPresent;
    }

    @Override
    public boolean kdEnteredDebugger() {
        return entered;
    }

    @Override
    public boolean kdPitchDebugger() {
        return pitch;
    }

    @Override
    public int sharedUserDataKdDebuggerEnabled() {
        return sharedUserData;
    }

    synchronized void setEnabled(boolean value) {
        enabled = value;
        sharedUserData = value ? (sharedUserData | SHARED_KD_ENABLED) : 0;
    }

    synchronized void setNotPresent(boolean value) {
        notPresent = value;
        if (value) {
            sharedUserData &= ~SHARED_KD_PRESENT;
        } else if (enabled) {
            sharedUserData |= SHARED_KD_PRESENT;
        }
    }

    void setEntered(boolean value) {
        entered = value;
    }

    void setPitch(boolean value) {
        pitch = value;
    }

    @Override
    public String toString() {
        return String.format("KdDebuggerEnabled=%b KdDebuggerNotPresent=%b KdEnteredDebugger=%b KdPitchDebugger=%b "
                + "SharedUserData.KdDebuggerEnabled=0x%x", enabled, notPresent, entered, pitch, sharedUserData);
    }
}
