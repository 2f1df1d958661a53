package dev.debugport.kd.target;

import dev.debugport.kd.message.DbgkdWaitStateChange64;
import dev.debugport.kd.message.ExceptionRecord64;
import dev.debugport.kd.message.KdArchitecture;
import dev.debugport.kd.message.KdMessageCodec;
import dev.debugport.kd.target.KdSendWaitContinue.ContinueResult;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.Platform;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.NtStatus;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The target-side kernel debugger ({@code spec/kd.md} §8): KdInitSystem, the global flags, KdPollBreakIn at the clock
 * tick, KdEnterDebugger / KdExitDebugger (freezing the whole machine), KdpTrap / KdpReport for exceptions (the
 * KiDebugRoutine hook), KdpSendWaitContinue with the manipulate APIs ({@link KdApi}), the breakpoint table, and the
 * DbgPrint / DbgPrompt / DbgLoadImageSymbols paths.
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
    private static final System.Logger LOG = System.getLogger("dev.debugport.kd");

    static final NtStatus STATUS_PORT_DISCONNECTED = NtStatus.of(0xC0000037);
    /** How long a break-in waits for its thread to park (a thread in a wait never does). */
    static final java.time.Duration STILL_WAIT = java.time.Duration.ofMillis(50);

    private final Kernel kernel;
    private final Platform platform;
    private final KdTargetConfig config;
    private final KdFlags flags = new KdFlags();
    private final KdTargetPort port;
    private final KdKernelImage image;
    private final KdMemory memory;
    private final KdBreakpointTable breakpoints;
    private final KdApi api;
    private final KdDebugFilter filter = new KdDebugFilter();
    private final Runnable tickHook = this::pollBreakIn;

    private final KdDebuggerEntry entry;
    private final KdEngineThread engineThread;
    private final KdHostLoss hostLoss;
    private final KdDebugIo debugIo;
    private final KdSendWaitContinue stateChanges;
    private final AtomicBoolean breakInQueued = new AtomicBoolean();
    private boolean autoEnableArmed;
    private int disableCount;
    private boolean tickHookInstalled;

    KdEngine(Kernel kernel, KdTargetConfig config) {
        this.kernel = kernel;
        this.platform = kernel.platform();
        this.config = config;
        this.image = new KdKernelImage(kernel);
        this.memory = new KdMemory(image.space());
        this.breakpoints = new KdBreakpointTable(memory);
        this.api = new KdApi(memory, breakpoints, image, config.readLimit());
        this.port = new KdTargetPort(config.linkConfig(), flags, this::onHostLost);
        this.entry = new KdDebuggerEntry(kernel, flags, port, breakpoints, image);
        this.engineThread = new KdEngineThread();
        this.hostLoss = new KdHostLoss(port, breakpoints, entry, engineThread);
        KdMessageCodec codec = new KdMessageCodec(KdArchitecture.AMD64);
        this.debugIo = new KdDebugIo(flags, filter, image, port, codec, entry, hostLoss);
        this.stateChanges = new KdSendWaitContinue(port, codec, api, memory, breakpoints, image, debugIo, hostLoss);
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
                        breakInStop(null);
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
        return engineThread.submit(() -> trap(thread, record, firstChance), false);
    }

    private boolean trap(EThread thread, ExceptionRecord record, boolean firstChance) throws InterruptedException {
        if (!flags.kdDebuggerEnabled()) {
            // KdpStub.
            if (KdDebugService.isDebugService(record)) {
                long service = record.info(0);
                if (service == KdDebugService.BREAKPOINT_PRINT || service == KdDebugService.BREAKPOINT_LOAD_SYMBOLS
                        || service == KdDebugService.BREAKPOINT_UNLOAD_SYMBOLS || service == KdDebugService.BREAKPOINT_COMMAND_STRING) {
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
        if (KdDebugService.isDebugService(record)) {
            return debugService(thread, record);
        }
        if (record.code() == NtStatus.DBG_PRINTEXCEPTION_C.value() && firstChance) {
            forwardDebugString(thread, record);
            return false;
        }
        return report(thread, record, firstChance);
    }

    /** KdpTrap's debug services (int 2dh) from a user-mode caller: print and prompt; symbol services are ignored. */
    private boolean debugService(EThread thread, ExceptionRecord record) throws InterruptedException {
        int service = (int) record.info(0);
        Amd64Context ctx = platform.getContext(thread);
        long p1 = record.numberParameters() > 1 ? record.info(1) : ctx.get(Amd64Register.RCX);
        long p2 = record.numberParameters() > 2 ? record.info(2) : ctx.get(Amd64Register.RDX);
        EProcess process = thread.process();
        switch (service) {
            case KdDebugService.BREAKPOINT_PRINT -> {
                byte[] text = readUser(process, p1, (int) Math.min(p2 & 0xFFFF, KdDebugIo.MAX_PRINT));
                NtStatus s = debugIo.print(thread, (int) ctx.get(Amd64Register.R8), (int) ctx.get(Amd64Register.R9), text);
                if (s.equals(NtStatus.STATUS_BREAKPOINT)) {
                    breakInStop(thread); // DbgPrint's DbgBreakPointWithStatus(DBG_STATUS_CONTROL_C)
                    s = NtStatus.STATUS_SUCCESS;
                }
                platform.setContext(thread, platform.getContext(thread).with(Amd64Register.RAX, Integer.toUnsignedLong(s.value())));
            }
            case KdDebugService.BREAKPOINT_PROMPT -> {
                byte[] prompt = readUser(process, p1, (int) Math.min(p2 & 0xFFFF, KdDebugIo.MAX_PRINT));
                long buffer = ctx.get(Amd64Register.R8);
                int max = (int) (ctx.get(Amd64Register.R9) & 0xFFFF);
                Optional<String> answer = debugIo.prompt(thread, prompt, max);
                byte[] bytes = answer.orElse("").getBytes(StandardCharsets.ISO_8859_1);
                int written = memory.write(process, buffer, bytes, 0, Math.min(bytes.length, max));
                platform.setContext(thread, platform.getContext(thread).with(Amd64Register.RAX, written));
            }
            default -> {
                // LOAD/UNLOAD_SYMBOLS and COMMAND_STRING only mean something for kernel-mode callers.
            }
        }
        return true;
    }

    private byte[] readUser(EProcess process, long address, int length) {
        byte[] b = new byte[Math.max(0, length)];
        int n = memory.read(process, address, b, 0, b.length);
        int end = 0;
        while (end < n && b[end] != 0) {
            end++;
        }
        return Arrays.copyOf(b, end);
    }

    /** OutputDebugStringA {length, address} without a user-mode debugger: shown on the host like DbgPrint. */
    private void forwardDebugString(EThread thread, ExceptionRecord record) throws InterruptedException {
        if (record.numberParameters() < 2) {
            return;
        }
        int length = (int) Math.min(record.info(0), KdDebugIo.MAX_PRINT);
        byte[] text = readUser(thread.process(), record.info(1), length);
        if (text.length > 0 && debugIo.print(thread, KdDebugFilter.DBGPRINT_COMPONENT, KdDebugFilter.ERROR_LEVEL, text)
                .equals(NtStatus.STATUS_BREAKPOINT)) {
            breakInStop(thread); // a break-in arrived during the print
        }
    }

    /** Implements KdpReport: decides whether to report, and reports the exception state change. */
    private boolean report(EThread thread, ExceptionRecord record, boolean firstChance) throws InterruptedException {
        int code = record.code();
        boolean debugException = code == NtStatus.STATUS_BREAKPOINT.value() || code == NtStatus.STATUS_SINGLE_STEP.value()
                || code == NtStatus.STATUS_ASSERTION_FAILURE.value();
        if (!debugException && firstChance) {
            if (!config.stopOnException() || NtStatus.of(code).isSuccess() || code == STATUS_PORT_DISCONNECTED.value()) {
                return false;
            }
        }
        if (!port.isConnected()) {
            return false; // no host on the port (KdDebuggerNotPresent already): the machine does not stop
        }
        Amd64Context ctx = platform.getContext(thread);
        if (code == NtStatus.STATUS_BREAKPOINT.value()) {
            ctx = ctx.withRip(ctx.rip() - 1); // KiDispatchException backs Rip up onto the int3
        }
        EThread traced = stateChanges.takeTraced();
        boolean ownTrap = code == NtStatus.STATUS_SINGLE_STEP.value() ? thread == traced
                : code == NtStatus.STATUS_BREAKPOINT.value() && breakpoints.isPlantedAt(ctx.rip(), thread.process());
        KdStop stop = KdStop.of(thread, ctx);
        entry.enter(stop, true);
        ContinueResult result;
        try {
            DbgkdWaitStateChange64 change = stateChanges.exceptionStateChange(stop, ExceptionRecord64.fromNt(record, 0), firstChance,
                    record.address());
            result = stateChanges.sendWaitContinue(stop, change);
            if (result == ContinueResult.HOST_ABSENT && ownTrap) {
                stop.context = stop.context.withTrapFlag(false); // nobody is left to take a further step
            }
            if (result == ContinueResult.SUCCESS || (result == ContinueResult.HOST_ABSENT && ownTrap)) {
                platform.setContext(thread, stop.context);
                stateChanges.noteTrace(stop);
            }
        } finally {
            entry.exit();
        }
        afterStop(result);
        return result == ContinueResult.SUCCESS || (result == ContinueResult.HOST_ABSENT && ownTrap);
    }

    // ---- break-in -------------------------------------------------------------------------------------------

    /** Implements KdPollBreakIn at the clock tick (KeUpdateSystemTime). Clock thread. */
    private void pollBreakIn() {
        if (engineThread.isClosed() || entry.inDebugger() || !flags.kdDebuggerEnabled() || breakInQueued.get()) {
            return;
        }
        if (port.consumeBreakIn() && breakInQueued.compareAndSet(false, true)) {
            engineThread.submit(() -> {
                breakInQueued.set(false);
                if (flags.kdDebuggerEnabled()) {
                    breakInStop(null);
                }
                return null;
            }, null);
        }
    }

    /** DbgBreakPointWithStatus from kernel code running on behalf of {@code caller}. Any thread; blocks. */
    void breakPoint(EThread caller) {
        engineThread.onEngine(() -> {
            if (flags.kdDebuggerEnabled()) {
                breakInStop(caller);
            }
            return null;
        }, null);
    }

    /** The thread "running on processor 0" when a break-in arrives (see the class comment), or null for idle. */
    private EThread currentThreadFor(EThread preferred) {
        if (preferred != null && !preferred.hasExited() && preferred.process().memory() != null) {
            return preferred;
        }
        EThread newest = null;
        for (EProcess p : kernel.clientIds().allProcesses()) {
            if (p.hasExited() || p.memory() == null || p.pid() == Kernel.SYSTEM_PID) {
                continue;
            }
            for (EThread t : p.threads()) {
                if (!t.hasExited() && (newest == null || t.tid() > newest.tid())) {
                    newest = t;
                }
            }
        }
        return newest;
    }

    /** DbgBreakPointWithStatus(DBG_STATUS_CONTROL_C) and the KdpTrap / KdpReport it leads to. Engine thread. */
    private void breakInStop(EThread preferred) throws InterruptedException {
        EThread thread = currentThreadFor(preferred);
        KdStop stop = thread == null ? KdStop.idle(KdKernelLayout.DBG_BREAK_POINT_WITH_STATUS)
                : KdStop.of(thread, Amd64Context.zero());
        entry.enter(stop, true);
        ContinueResult result;
        try {
            if (thread != null) {
                if (thread != preferred) {
                    awaitStill(thread);
                }
                stop.context = platform.getContext(thread);
            }
            long pc = stop.pc();
            DbgkdWaitStateChange64 change = stateChanges.exceptionStateChange(stop,
                    ExceptionRecord64.of(NtStatus.STATUS_BREAKPOINT, pc, KdDebugService.BREAKPOINT_BREAK), true, pc);
            result = stateChanges.sendWaitContinue(stop, change);
            if (result == ContinueResult.SUCCESS && stop.thread != null && stop.contextChanged) {
                platform.setContext(stop.thread, stop.context);
            }
            if (result == ContinueResult.SUCCESS) {
                stateChanges.noteTrace(stop);
            }
        } finally {
            entry.exit();
        }
        afterStop(result);
    }

    // ---- KdEnterDebugger / KdExitDebugger ----------------------------------------------------------------

    /**
     * KeFreezeExecution waits until the other processors have stopped; here: until the thread the break-in stops on
     * has parked at a safe point, so that its registers stay as the host reads and edits them. A thread blocked in a
     * wait never parks but runs no code either: after {@link #STILL_WAIT} the engine takes it as it is.
     */
    private static void awaitStill(EThread thread) {
        long deadline = System.nanoTime() + STILL_WAIT.toNanos();
        while (!thread.runState().isParked() && !thread.hasExited() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    /** Work that follows a stop once the machine runs again: the reboot. Engine thread. */
    private void afterStop(ContinueResult result) throws InterruptedException {
        if (result != ContinueResult.REBOOT) {
            return;
        }
        entry.freezeForMaintenance(breakpoints::removeAll);
        port.restartLink();
        Runnable handler = config.rebootHandler();
        if (handler != null) {
            try {
                handler.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "reboot handler failed", e);
            }
        }
        flags.setEntered(false);
        if (port.isConnected() && flags.kdDebuggerEnabled()) {
            breakInStop(null); // the initial break of the new boot, sent with the boot id 0x80800800
        }
    }

    // ---- DbgPrint / DbgPrompt / DbgLoadImageSymbols ----------------------------------------------------

    /** DbgPrintEx from kernel code on behalf of {@code caller} (null: a system thread). Any thread; blocks. */
    NtStatus dbgPrint(EThread caller, int componentId, int level, String text) {
        return engineThread.onEngine(() -> {
            if (!flags.kdDebuggerEnabled()) {
                return NtStatus.STATUS_SUCCESS; // KdpStub swallows the print service
            }
            NtStatus s = debugIo.print(caller, componentId, level, text.getBytes(StandardCharsets.ISO_8859_1));
            if (s.equals(NtStatus.STATUS_BREAKPOINT)) {
                breakInStop(caller); // DbgBreakPointWithStatus(DBG_STATUS_CONTROL_C)
                return NtStatus.STATUS_SUCCESS;
            }
            return s;
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
            result = stateChanges.sendWaitContinue(stop, stateChanges.loadSymbolsStateChange(stop, path, base, size, unload));
        } finally {
            entry.exit();
        }
        afterStop(result);
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
