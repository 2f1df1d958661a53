package dev.debugport.kd.target;

import dev.debugport.kd.message.KdArchitecture;
import dev.debugport.kd.message.KdMessageCodec;
import dev.debugport.kd.target.KdSendWaitContinue.ContinueResult;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.NtStatus;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The target-side kernel debugger ({@code spec/kd.md} §8) and its life cycle: KdInitSystem, the global flags,
 * KdEnableDebugger / KdDisableDebugger, the KiDebugRoutine hook (KdpStub while disabled), DbgLoadImageSymbols at boot,
 * and taking KD out of the machine. The entry points of {@link KdTarget} come here; the work is done by:
 * <ul>
 *   <li>{@link KdEngineThread} - the one thread every stay in the debugger runs on;</li>
 *   <li>{@link KdDebuggerEntry} - KdEnterDebugger / KdExitDebugger (freezing the whole machine);</li>
 *   <li>{@link KdBreakIn} - KdPollBreakIn at the clock tick, DbgBreakPointWithStatus, the restart after a reboot;</li>
 *   <li>{@link KdTrap} - KdpTrap / KdpReport for exceptions, the user-mode debug services;</li>
 *   <li>{@link KdSendWaitContinue} - the state change of a stop and KdpSendWaitContinue, with the replying manipulate
 *       APIs in {@link KdApi} and the breakpoint table in {@link KdBreakpointTable};</li>
 *   <li>{@link KdDebugIo} - KdpPrint, KdpPrintString, KdpPrompt;</li>
 *   <li>{@link KdHostLoss} - what a lost host leaves behind.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Every stay in the debugger runs on one platform thread, "kd-engine": the trap of a guest thread, a break-in noticed
 * by the clock, a DbgPrint. Callers hand it a task and get a completion (a guest thread blocks on it the way it
 * blocks in kernel mode; an asynchronous platform chains on it), so stays never overlap: while one processor is in
 * the debugger, an exception on another waits, as the frozen processors of KeFreezeExecution do.
 *
 * <h2>The current thread</h2>
 * An exception stop belongs to the thread that raised it: its context is {@code Platform.getContext} (with Rip backed
 * up onto an int3, as KiDispatchException does before calling KiDebugRoutine), and what the host leaves in it goes
 * back through {@code Platform.setContext} when the host continues with a success status. A break-in (the clock
 * found the host's break-in byte) stops on the thread that was "running on processor 0": the newest live thread of
 * the machine with a user address space, so that the host sees and can set breakpoints in a real process; with no
 * such thread, on processor 0's idle thread at nt!DbgBreakPointWithStatus in the System process.
 *
 * <h2>Deviations from ReactOS/Windows, on purpose</h2>
 * <ul>
 *   <li>A state change nobody acknowledges (a host that went away or went silent past the retries) makes the stop
 *       end as "not handled", not ContinueSuccess: a hard-coded int3 then reaches the program's own handlers instead
 *       of being re-executed forever, and the machine keeps running. The traps the kernel debugger made itself are
 *       the exception: the single step after the host's trace and an int3 of the breakpoint table end as handled
 *       (the breakpoint's byte is back and the thread re-executes it), since the program never asked for them and
 *       would die of them. With no host connection at all the engine does not even enter the debugger for an
 *       exception (kdcom would find no debugger on the line).</li>
 *   <li>When the host is lost, the engine removes its breakpoints (as KdDisableDebugger does), so nothing trips over
 *       an int3 nobody will handle.</li>
 *   <li>OutputDebugString without a user-mode debugger reaches the host as a DbgPrint (kernel32's own fallback on
 *       Windows; the simulated guest has no such fallback).</li>
 *   <li>CauseBugCheck prints the bugcheck and stops again at nt!KeBugCheckEx; continuing resumes the machine (there
 *       is no crash dump and no reboot).</li>
 *   <li>Reboot restarts KD (ids from 0x80800800, breakpoints cleared), runs the embedder's reboot handler, and
 *       stops with an initial break if a host is connected; the boot symbol loads are not repeated.</li>
 * </ul>
 */
final class KdEngine {

    private final Kernel kernel;
    private final KdTargetConfig config;
    private final KdFlags flags = new KdFlags();
    private final KdTargetPort port;
    private final KdBreakpointTable breakpoints;
    private final KdDebugFilter filter = new KdDebugFilter();
    private final KdDebuggerEntry entry;
    private final KdEngineThread engineThread;
    private final KdHostLoss hostLoss;
    private final KdDebugIo debugIo;
    private final KdSendWaitContinue stateChanges;
    private final KdBreakIn breakIn;
    private final KdTrap trap;
    private final Runnable tickHook;
    private boolean autoEnableArmed;
    private int disableCount;
    private boolean tickHookInstalled;

    KdEngine(Kernel kernel, KdTargetConfig config) {
        this.kernel = kernel;
        this.config = config;
        KdKernelImage image = new KdKernelImage(kernel);
        KdMemory memory = new KdMemory(image.space());
        this.breakpoints = new KdBreakpointTable(memory);
        KdApi api = new KdApi(memory, breakpoints, image, config.readLimit());
        this.port = new KdTargetPort(config.linkConfig(), flags, this::onHostLost);
        this.entry = new KdDebuggerEntry(kernel, flags, port, breakpoints, image);
        this.engineThread = new KdEngineThread();
        this.hostLoss = new KdHostLoss(port, breakpoints, entry, engineThread);
        KdMessageCodec codec = new KdMessageCodec(KdArchitecture.AMD64);
        this.debugIo = new KdDebugIo(flags, filter, image, port, codec, entry, hostLoss);
        this.stateChanges = new KdSendWaitContinue(port, codec, api, memory, breakpoints, image, debugIo, hostLoss);
        this.breakIn = new KdBreakIn(kernel, config, flags, port, breakpoints, entry, stateChanges, engineThread);
        this.trap = new KdTrap(kernel.platform(), config, port, memory, breakpoints, entry, debugIo, stateChanges,
                breakIn);
        this.tickHook = breakIn::poll;
    }

    KdFlags flags() {
        return flags;
    }

    KdTargetPort port() {
        return port;
    }

    boolean inDebugger() {
        return entry.inDebugger();
    }

    int breakpointCount() {
        return breakpoints.count();
    }

    /** A connection closed (link thread); the port is made before {@link #hostLoss}, so it calls back through here. */
    private void onHostLost() {
        hostLoss.connectionClosed();
    }

    // ---- KdInitSystem, enable, disable -------------------------------------------------------------------

    /** Implements KdInitSystem (boot phase 0) for the configured boot options ({@code spec/kd.md} §8.1). */
    void initSystem() {
        engineThread.onEngine(() -> {
            kernel.installKernelDebuggerState(flags);
            kernel.exceptionDispatcher().setKernelDebugRoutine(this::kiDebugRoutine);
            KdBootOptions options = config.bootOptions();
            switch (options) {
                case NONE, NODEBUG -> {
                    flags.setPitch(true);
                    flags.setNotPresent(true);
                }
                case CRASHDEBUG -> {
                    flags.setPitch(false);
                    flags.setNotPresent(true);
                }
                case DEBUG, DEBUG_AUTOENABLE, DEBUG_DISABLE -> {
                    enable();
                    if (!port.isConnected()) {
                        flags.setNotPresent(true); // nobody on the line: kdcom's first send would find no debugger
                    }
                    // The first two boot images: the kernel and the HAL (DbgLoadImageSymbols).
                    loadImageSymbols("\\SystemRoot\\system32\\ntoskrnl.exe", KdKernelLayout.KERN_BASE,
                            KdKernelLayout.NT_SIZE, false);
                    loadImageSymbols("\\SystemRoot\\system32\\hal.dll", KdKernelLayout.HAL_BASE,
                            KdKernelLayout.HAL_SIZE, false);
                    if (port.consumeBreakIn()) { // KdBreakAfterSymbolLoad
                        breakIn.stop(null);
                    }
                    if (options != KdBootOptions.DEBUG) {
                        disable();
                        autoEnableArmed = options == KdBootOptions.DEBUG_AUTOENABLE;
                    }
                }
            }
            return null;
        }, null);
    }

    /** The transport initialised: KD on (KdDebuggerEnabled, SharedUserData bit 0, KiDebugRoutine = KdpTrap). */
    private void enable() {
        flags.setPitch(false);
        flags.setEnabled(true);
        if (!tickHookInstalled) {
            kernel.clock().addTickHook(tickHook);
            tickHookInstalled = true;
        }
    }

    /** Implements KdDisableDebugger: KD off, KiDebugRoutine = KdpStub, breakpoints removed. */
    NtStatus disableDebugger() {
        return engineThread.onEngine(() -> {
            if (flags.kdPitchDebugger()) {
                return NtStatus.STATUS_ACCESS_DENIED;
            }
            disable();
            return NtStatus.STATUS_SUCCESS;
        }, NtStatus.STATUS_UNSUCCESSFUL);
    }

    private void disable() {
        disableCount++;
        if (disableCount == 1) {
            entry.freezeForMaintenance(breakpoints::removeAll);
            flags.setEnabled(false);
        }
    }

    /** Implements KdEnableDebugger: undoes one KdDisableDebugger. */
    NtStatus enableDebugger() {
        return engineThread.onEngine(() -> {
            if (flags.kdPitchDebugger()) {
                return NtStatus.STATUS_ACCESS_DENIED;
            }
            if (disableCount == 0) {
                return NtStatus.STATUS_INVALID_PARAMETER;
            }
            if (--disableCount == 0) {
                enable();
                flags.setNotPresent(flags.kdDebuggerNotPresent()); // re-derives SharedUserData bit 1
            }
            return NtStatus.STATUS_SUCCESS;
        }, NtStatus.STATUS_UNSUCCESSFUL);
    }

    // ---- KiDebugRoutine: KdpStub / KdpTrap / KdpReport ----------------------------------------------------

    /** The KiDebugRoutine hook: KdpTrap when KD is enabled, KdpStub otherwise. Any thread. */
    CompletionStage<Boolean> kiDebugRoutine(EThread thread, ExceptionRecord record, boolean firstChance) {
        return engineThread.submit(() -> routeDebugException(thread, record, firstChance), false);
    }

    /** KdpStub while KD is disabled (and the first exception of /DEBUG=AUTOENABLE turning KD on), then KdpTrap. */
    private boolean routeDebugException(EThread thread, ExceptionRecord record, boolean firstChance)
            throws InterruptedException {
        if (!flags.kdDebuggerEnabled()) {
            // KdpStub.
            if (KdDebugService.isDebugService(record)) {
                long service = record.info(0);
                if (service == KdDebugService.BREAKPOINT_PRINT || service == KdDebugService.BREAKPOINT_LOAD_SYMBOLS
                        || service == KdDebugService.BREAKPOINT_UNLOAD_SYMBOLS
                        || service == KdDebugService.BREAKPOINT_COMMAND_STRING) {
                    return true; // swallowed; the platform's context is already past the service's int3
                }
            }
            if (flags.kdPitchDebugger() || !autoEnableArmed) {
                return false;
            }
            autoEnableArmed = false;
            disableCount = 1;
            enableDebugger();
        }
        return trap.trap(thread, record, firstChance);
    }

    // ---- DbgBreakPoint -------------------------------------------------------------------------------------------

    /** DbgBreakPointWithStatus from kernel code running on behalf of {@code caller}. Any thread; blocks. */
    void breakPoint(EThread caller) {
        engineThread.onEngine(() -> {
            if (flags.kdDebuggerEnabled()) {
                breakIn.stop(caller);
            }
            return null;
        }, null);
    }

    // ---- DbgPrint / DbgPrompt / DbgLoadImageSymbols ----------------------------------------------------

    /** DbgPrintEx from kernel code on behalf of {@code caller} (null: a system thread). Any thread; blocks. */
    NtStatus dbgPrint(EThread caller, int componentId, int level, String text) {
        return engineThread.onEngine(() -> {
            if (!flags.kdDebuggerEnabled()) {
                return NtStatus.STATUS_SUCCESS; // KdpStub swallows the print service
            }
            return trap.print(caller, componentId, level, text.getBytes(StandardCharsets.ISO_8859_1));
        }, NtStatus.STATUS_UNSUCCESSFUL);
    }

    /** DbgPrompt from kernel code: the host's answer, or empty if no host answered. Any thread; blocks. */
    Optional<String> dbgPrompt(EThread caller, String prompt, int maxLength) {
        return engineThread.onEngine(() -> flags.kdDebuggerEnabled()
                ? debugIo.prompt(caller, prompt.getBytes(StandardCharsets.ISO_8859_1), maxLength)
                : Optional.<String>empty(), Optional.empty());
    }

    /**
     * Implements DbgLoadImageSymbols / KdpSymbol: a load-symbols state change (the host may look at the image, then
     * continues). Only when a host is present. Engine thread.
     */
    private void loadImageSymbols(String path, long base, int size, boolean unload) throws InterruptedException {
        if (flags.kdDebuggerNotPresent() || !flags.kdDebuggerEnabled()) {
            return;
        }
        KdStop stop = KdStop.idle(KdKernelLayout.DBG_LOAD_IMAGE_SYMBOLS);
        entry.enter(stop, true);
        ContinueResult result;
        try {
            result = stateChanges.sendWaitContinue(stop,
                    stateChanges.loadSymbolsStateChange(stop, path, base, size, unload));
        } finally {
            entry.exit();
        }
        breakIn.afterStop(result);
    }

    /** Implements KdRefreshDebuggerNotPresent: probes the host with a print. */
    boolean refreshDebuggerNotPresent() {
        return engineThread.onEngine(() -> {
            if (flags.kdDebuggerEnabled() && port.isConnected()) {
                debugIo.probeHost();
            }
            return flags.kdDebuggerNotPresent();
        }, true);
    }

    void setDebugFilterState(int componentId, int level, boolean state) {
        filter.set(componentId, level, state);
    }

    // ---- shutdown ---------------------------------------------------------------------------------------------

    /** Takes KD out of the machine: no hook, no clock, no port; a stop in progress ends; the flags go back to NONE. */
    void close() {
        if (engineThread.isClosed()) {
            return;
        }
        kernel.exceptionDispatcher().setKernelDebugRoutine(null);
        kernel.clock().removeTickHook(tickHook);
        engineThread.close();
        port.close();
        engineThread.stop();
        kernel.installKernelDebuggerState(null);
    }
}
