package dev.debugport.kernel.ps;

import dev.debugport.kernel.ke.DispatcherObject;
import dev.debugport.kernel.ke.KEvent;
import dev.debugport.kernel.ke.RundownProtection;
import dev.debugport.kernel.ob.NtObject;
import dev.debugport.kernel.ob.ObjectType;

/**
 * What a process and a thread share: a dispatcher object that becomes signalled when it exits (the notification event
 * KeTerminateThread / PspExitProcess set), the exit status it reports until then as STILL_ACTIVE, its rundown
 * protection, and the platform's own object for it.
 */
public abstract class ExitableObject extends NtObject {
    /** STILL_ACTIVE (STATUS_PENDING): GetExitCodeProcess / GetExitCodeThread of something still running. */
    private static final int STILL_ACTIVE = 0x103;

    private final RundownProtection rundown = new RundownProtection();
    private final KEvent exited = new KEvent(KEvent.Type.NOTIFICATION, false);
    private volatile int exitStatus = STILL_ACTIVE;
    private volatile Object platformData;

    protected ExitableObject(ObjectType type) {
        super(type);
    }

    /** EPROCESS.RundownProtect / ETHREAD.RundownProtect. */
    public final RundownProtection rundown() {
        return rundown;
    }

    /** The event signalled when the object has exited. */
    public final KEvent exitedEvent() {
        return exited;
    }

    @Override
    public final DispatcherObject waitable() {
        return exited;
    }

    public final boolean hasExited() {
        return exited.isSignaled();
    }

    public final int exitStatus() {
        return exitStatus;
    }

    public final void setExitStatus(int status) {
        this.exitStatus = status;
    }

    /** The platform's own object for this process or thread. */
    public final Object platformData() {
        return platformData;
    }

    public final void setPlatformData(Object data) {
        this.platformData = data;
    }
}
