package dev.debugport.linux.platform;

import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.kernel.ps.ProcessManager;
import dev.debugport.kernel.ps.Teb;
import dev.debugport.linux.tracer.TraceEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The platform's side of one Linux process ({@link EProcess#platformData()}). Mutated on the tracer thread only
 * (the few fields other threads read are volatile).
 */
final class LinuxProcess {
    /** Where the process stands with the platform. */
    enum State {
        /** Launched, not yet given its process object (the tracer stopped it at its exec). */
        LAUNCHING,
        /** Known (opened by pid) but not traced. */
        UNTRACED,
        /** Being attached: every thread seized and stopped, waiting for Dbgk's fake messages. */
        ATTACHING,
        /** Traced; its threads run as the kernel's run state allows. */
        BOUND,
        /** Being detached. */
        DETACHING,
        /** Gone (exited and reaped, or known dead). */
        GONE,
        /** The debugger's own process (the JVM). */
        HOST
    }

    final int pid;
    volatile State state;
    volatile EProcess eprocess;
    /** Spawned by the tracer: the JVM is its parent and reaps it. */
    final boolean ourChild;
    LinuxMemory memory;
    ShadowMemory shadow;
    /** The process's start time (field 22 of /proc/pid/stat), to tell a reused pid. */
    long startTime;
    final Map<Integer, LinuxThread> threads = new LinkedHashMap<>();
    /** Events that arrived while the process was launching or being attached; replayed once it is bound. */
    final List<TraceEvent> deferred = new ArrayList<>();

    // ---- the dynamic loader (r_debug) and the modules it reported
    long loaderBase;
    long rDebug;
    long rBrk;
    long vdso;
    /** link_map entries reported as loaded: l_addr to image. */
    final Map<Long, ImageInfo> modules = new LinkedHashMap<>();
    /** Report the initial (loader) breakpoint at the first consistent r_debug state. */
    boolean wantInitialBreak;
    /** A fork child: after its CREATE_PROCESS, replay its inherited modules as LOAD_DLL. */
    boolean replayModules;
    /** libc's struct pthread offset of start_routine (-1: not looked up yet, -2: unknown). */
    long startRoutineOffset = -1;
    /** The address of a {@code syscall} instruction (0: not found yet, -1: none). */
    long syscallInstruction;

    // ---- all-stop and termination
    int quiesceHolds;
    final List<Quiesce> quiesces = new ArrayList<>();
    /** Threads whose signal is being dispatched and would end the process if nobody handles it. */
    int fatalDispatches;
    /** SIGKILL sent, or a thread let die of its signal: nothing more is resumed. */
    boolean killIssued;

    /** Waits for every thread but {@code except} to be stopped, then runs {@code action}. */
    record Quiesce(LinuxThread except, Runnable action) {
    }

    LinuxProcess(int pid, State state, boolean ourChild) {
        this.pid = pid;
        this.state = state;
        this.ourChild = ourChild;
    }

    /**
     * Gives thread {@code tid} of this process a thread object (the kernel's half of PspCreateThread for a thread
     * that already runs) and a TEB in the shadow memory, whose ClientId names the thread.
     */
    NtResult<EThread> registerThread(ProcessManager processes, long tid, long startAddress) {
        return processes.registerThread(eprocess, tid, startAddress, startAddress, new Teb(shadow.allocateTeb(tid)));
    }

    @Override
    public String toString() {
        return "LinuxProcess[" + pid + " " + state + "]";
    }
}
