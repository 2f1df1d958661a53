package dev.debugport.dbgk;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.ob.NtObject;
import dev.debugport.kernel.ob.ObjectType;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.GenericMapping;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The user-mode debugging subsystem of one NT machine. {@link #initialize} is DbgkInitialize: it creates the
 * DebugObject type and the global port mutex and installs the notifications the kernel calls. The Nt* services are
 * reached through {@link #objects()}, {@link #attach()}, {@link #waits()}, {@link #detach()}.
 */
public final class Dbgk {
    /** DbgkpMaxModuleMsgs: the loader-list entries walked at attach (Windows sets 500 at initialisation). */
    static final int MAX_MODULE_MESSAGES = 500;

    private final Kernel kernel;
    /** DbgkpProcessDebugPortMutex: serialises every read-modify of any process's debug port. */
    final ReentrantLock portMutex = new ReentrantLock();
    final ObjectType debugObjectType;
    final EventQueue queue;
    final ImageFiles imageFiles;
    final PebMarker pebMarker;
    private final DebugObjectServices objects;
    private final AttachService attach;
    private final WaitService waits;
    private final DetachService detach;
    private final DebuggeeNotifications notifications;

    private Dbgk(Kernel kernel) {
        this.kernel = kernel;
        this.objects = new DebugObjectServices(this);
        this.debugObjectType = new ObjectType("DebugObject", GenericMapping.DEBUG_OBJECT, AccessMask.DEBUG_OBJECT_ALL_ACCESS,
                objects::closeObject, o -> { });
        this.queue = new EventQueue(this);
        this.imageFiles = new ImageFiles(kernel);
        this.pebMarker = new PebMarker(this);
        this.attach = new AttachService(this);
        this.waits = new WaitService(this);
        this.detach = new DetachService(this);
        this.notifications = new DebuggeeNotifications(this);
    }

    /** Implements DbgkInitialize: creates the subsystem and installs its hooks into the kernel. */
    public static Dbgk initialize(Kernel kernel) {
        Dbgk dbgk = new Dbgk(kernel);
        kernel.installDebuggerHooks(dbgk.notifications);
        return dbgk;
    }

    public Kernel kernel() {
        return kernel;
    }

    /**
     * What follows the setting of {@code process}'s debug port to {@code port} (an attach, an inherited port):
     * DbgkpMarkProcessPeb, and the platform learns whether the port kills its debuggees on close.
     */
    void debugPortSet(EProcess process, DebugObject port) {
        pebMarker.markProcessPeb(process);
        kernel.platform().debugPortKillOnClose(process, port.killOnClose());
    }

    /** NtCreateDebugObject, NtSetInformationDebugObject and the close procedure. */
    public DebugObjectServices objects() {
        return objects;
    }

    /** NtDebugActiveProcess. */
    public AttachService attach() {
        return attach;
    }

    /** NtWaitForDebugEvent and NtDebugContinue. */
    public WaitService waits() {
        return waits;
    }

    /** NtRemoveProcessDebug. */
    public DetachService detach() {
        return detach;
    }

    /** The DebugObject object type (ObjectTypes: what NtQueryObject-based detection counts). */
    public ObjectType debugObjectType() {
        return debugObjectType;
    }

    /** Whether {@code object} is a debug object of this machine. */
    public boolean isDebugObject(NtObject object) {
        return object != null && object.type() == debugObjectType;
    }
}
