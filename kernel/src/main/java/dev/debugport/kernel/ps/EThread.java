package dev.debugport.kernel.ps;

import dev.debugport.kernel.ke.ThreadRunState;
import dev.debugport.kernel.ke.Waiter;
import dev.debugport.kernel.ob.ObjectType;
import dev.debugport.nt.ClientId;
import dev.debugport.nt.GenericMapping;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ETHREAD with the fields Dbgk reads and writes: the cross-thread flags, the system-thread bit, rundown
 * protection, the suspend count (in its run state), the start addresses, the TEB and the exit state. The thread
 * object is signalled when the thread has exited.
 */
public final class EThread extends ExitableObject {
    public static final ObjectType TYPE = ObjectType.simple("Thread", GenericMapping.THREAD, 0x1FFFFF);

    private final long tid;
    private final EProcess process;
    private final boolean systemThread;
    private final long startAddress;
    private final long win32StartAddress;
    private final Teb teb;
    private final AtomicInteger crossThreadFlags = new AtomicInteger();
    private final Waiter waiter = new Waiter();
    private final ThreadRunState runState;
    private final java.util.concurrent.CompletableFuture<Void> terminated = new java.util.concurrent.CompletableFuture<>();

    /**
     * @param startAddress the ETHREAD start address (what the thread was created to run)
     * @param win32StartAddress the Win32 start address (DEBUG_EVENT lpStartAddress for fake CREATE_THREAD events)
     * @param teb the thread's TEB, null for a system thread
     */
    public EThread(long tid, EProcess process, boolean systemThread, long startAddress, long win32StartAddress, Teb teb) {
        super(TYPE);
        this.tid = tid;
        this.process = process;
        this.systemThread = systemThread;
        this.startAddress = startAddress;
        this.win32StartAddress = win32StartAddress;
        this.teb = teb;
        this.runState = new ThreadRunState(process.runState(), waiter);
    }

    public long tid() {
        return tid;
    }

    public EProcess process() {
        return process;
    }

    public ClientId clientId() {
        return new ClientId(process.pid(), tid);
    }

    /** KTHREAD.MiscFlags SystemThread (0x400): a kernel thread of the process; Dbgk never reports or suspends it. */
    public boolean isSystemThread() {
        return systemThread;
    }

    public long startAddress() {
        return startAddress;
    }

    public long win32StartAddress() {
        return win32StartAddress;
    }

    public Teb teb() {
        return teb;
    }

    public int crossThreadFlags() {
        return crossThreadFlags.get();
    }

    /** Atomically ORs bits into CrossThreadFlags; returns the old value. */
    public int setCrossThreadFlags(int bits) {
        return crossThreadFlags.getAndUpdate(f -> f | bits);
    }

    public boolean hasCrossThreadFlag(int bit) {
        return (crossThreadFlags.get() & bit) != 0;
    }

    public Waiter waiter() {
        return waiter;
    }

    public ThreadRunState runState() {
        return runState;
    }

    /** Completes when the thread has fully terminated (after its exit notification was continued). */
    public java.util.concurrent.CompletableFuture<Void> terminated() {
        return terminated;
    }

    @Override
    public String toString() {
        return "Thread " + Long.toHexString(process.pid()) + "." + Long.toHexString(tid);
    }
}
