package dev.debugport.kernel.ps;

import dev.debugport.kernel.ke.ProcessRunState;
import dev.debugport.kernel.mm.ProcessMemory;
import dev.debugport.kernel.ob.HandleTable;
import dev.debugport.kernel.ob.NtObject;
import dev.debugport.kernel.ob.ObjectType;
import dev.debugport.nt.GenericMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An EPROCESS with the fields Dbgk reads and writes: the debug port, the process flags, rundown protection, the
 * thread list in creation order, the handle table, the PEB (and the WoW64 PEB32), the loader module list, the system
 * DLLs, and the exit state. The process object is signalled when the process has exited.
 */
public final class EProcess extends ExitableObject {
    public static final ObjectType TYPE = ObjectType.simple("Process", GenericMapping.PROCESS, 0x1FFFFF);

    private final long pid;
    private final long parentPid;
    private volatile ImageInfo image;
    private final AtomicInteger flags = new AtomicInteger();
    private volatile NtObject debugPort;
    private final List<EThread> threads = new CopyOnWriteArrayList<>();
    private final HandleTable handleTable = new HandleTable(0);
    private final ProcessRunState runState = new ProcessRunState();
    private final List<ImageInfo> loaderList = new ArrayList<>();
    private final List<ImageInfo> loaderList32 = new ArrayList<>();
    private final ProcessTraits traits;
    private volatile ProcessMemory memory;
    private volatile long pebAddress;
    private volatile long peb32Address;
    private volatile ImageInfo[] systemDlls = new ImageInfo[0];
    private volatile long exitTime;
    private final AtomicInteger activeThreads = new AtomicInteger();

    public EProcess(long pid, long parentPid, ImageInfo image, ProcessTraits traits) {
        super(TYPE);
        this.pid = pid;
        this.parentPid = parentPid;
        this.image = image;
        this.traits = traits;
    }

    public long pid() {
        return pid;
    }

    public long parentPid() {
        return parentPid;
    }

    /** The process's main image (the section it was created from); null for the System process. */
    public ImageInfo image() {
        return image;
    }

    /** Set by the platform when it maps the main image. */
    public void setImage(ImageInfo image) {
        this.image = image;
    }

    public ProcessTraits traits() {
        return traits;
    }

    public int flags() {
        return flags.get();
    }

    /** Atomically ORs bits into EPROCESS.Flags; returns the old value (RtlInterlockedSetBits). */
    public int setFlags(int bits) {
        return flags.getAndUpdate(f -> f | bits);
    }

    public int clearFlags(int bits) {
        return flags.getAndUpdate(f -> f & ~bits);
    }

    public boolean hasFlag(int bit) {
        return (flags.get() & bit) != 0;
    }

    /** EPROCESS.DebugPort: the debug object this process reports to, or null. Written only under the port mutex. */
    public NtObject debugPort() {
        return debugPort;
    }

    public void setDebugPort(NtObject port) {
        this.debugPort = port;
    }

    /** The threads in creation order (PsGetNextProcessThread walks this). */
    public List<EThread> threads() {
        return threads;
    }

    /** The thread that follows {@code thread} in the list, or the first one if {@code thread} is null. */
    public EThread nextThread(EThread thread) {
        List<EThread> snapshot = List.copyOf(threads);
        if (thread == null) {
            return snapshot.isEmpty() ? null : snapshot.getFirst();
        }
        int i = snapshot.indexOf(thread);
        return i >= 0 && i + 1 < snapshot.size() ? snapshot.get(i + 1) : null;
    }

    public HandleTable handleTable() {
        return handleTable;
    }

    public ProcessRunState runState() {
        return runState;
    }

    public ProcessMemory memory() {
        return memory;
    }

    public void setMemory(ProcessMemory memory) {
        this.memory = memory;
    }

    /** The native PEB, or null if the process has none (the System process). */
    public Peb peb() {
        return pebAddress == 0 || memory == null ? null : new Peb(memory, pebAddress, false);
    }

    /** The WoW64 PEB32 of a 32-bit process, or null. */
    public Peb peb32() {
        return peb32Address == 0 || memory == null ? null : new Peb(memory, peb32Address, true);
    }

    public void setPebAddresses(long peb, long peb32) {
        this.pebAddress = peb;
        this.peb32Address = peb32;
    }

    /** PEB->Ldr->InLoadOrderModuleList: index 0 is the exe, index 1 ntdll. Guard with {@code synchronized (list)}. */
    public List<ImageInfo> loaderList() {
        return loaderList;
    }

    /** The WoW64 32-bit loader list (same layout). */
    public List<ImageInfo> loaderList32() {
        return loaderList32;
    }

    /**
     * The system DLL slots (PsQuerySystemDllInfo): slot 0 is the native ntdll; a WoW64 process also has its 32-bit
     * ntdll in the slot {@link ProcessTraits#wow64NtdllSlot()}. Null entries are absent slots.
     */
    public ImageInfo[] systemDlls() {
        return systemDlls.clone();
    }

    public void setSystemDlls(ImageInfo... dlls) {
        this.systemDlls = dlls.clone();
    }

    public long exitTime() {
        return exitTime;
    }

    public void setExitTime(long time) {
        this.exitTime = time;
    }

    public AtomicInteger activeThreads() {
        return activeThreads;
    }

    @Override
    public String toString() {
        return "Process " + Long.toHexString(pid) + (image == null ? "" : " " + image.baseName());
    }
}
