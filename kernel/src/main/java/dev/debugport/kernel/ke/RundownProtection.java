package dev.debugport.kernel.ke;

/**
 * EX_RUNDOWN_REF: protection that keeps an object's resources alive while held. Once rundown has begun
 * ({@link #waitForRundown}) no new acquisition succeeds, and the rundown waits until every holder has released.
 */
public final class RundownProtection {
    private int holders;
    private boolean rundown;

    /** Implements ExAcquireRundownProtection. */
    public synchronized boolean acquire() {
        if (rundown) {
            return false;
        }
        holders++;
        return true;
    }

    /** Implements ExReleaseRundownProtection. */
    public synchronized void release() {
        if (holders <= 0) {
            throw new IllegalStateException("rundown protection released more often than acquired");
        }
        holders--;
        if (holders == 0) {
            notifyAll();
        }
    }

    /** Implements ExWaitForRundownProtectionRelease: refuses new holders, then waits for the current ones. */
    public synchronized void waitForRundown() {
        rundown = true;
        boolean interrupted = false;
        while (holders > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    public synchronized boolean isRundown() {
        return rundown;
    }
}
