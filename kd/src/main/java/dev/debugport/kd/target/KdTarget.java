package dev.debugport.kd.target;

import dev.debugport.kd.transport.KdAcceptor;
import dev.debugport.kd.transport.KdConnection;
import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.KernelDebuggerState;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.NtStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * The kernel debugger of one NT machine (the target side of KD): {@link #install} runs KdInitSystem on a
 * {@link Kernel}; {@link #listen} or {@link #attach} opens the debug port to a host. From then on the machine breaks
 * into the debugger on the host's break-in byte (polled at every clock tick), on breakpoints and single steps of
 * processes that have no user-mode debugger, and DbgPrint output goes to the host. Written against {@link Kernel} and
 * its {@code Platform} only, so it runs on any platform ({@code shared/DESIGN.md}, decision 9).
 *
 * <pre>
 *  KdTarget kd = KdTarget.install(machine.kernel(), KdTargetConfig.defaults());
 *  kd.listen(TcpTransport.listen(50000));     // hosts connect one after the other
 *  ...
 *  kd.dbgPrint(thread, "hello\n");            // DbgPrint on behalf of a thread
 *  kernel.kernelDebuggerState().kdDebuggerNotPresent();   // what anti-debug code reads
 *  kd.close();
 * </pre>
 *
 * What the host sees: {@link KdKernelLayout} (a Windows 7 SP1 x64 kernel, build 7601). How the engine behaves:
 * {@link KdEngine}.
 */
public final class KdTarget implements AutoCloseable {
    /** DPFLTR_ERROR_LEVEL, the level of a DbgPrintEx that is never filtered. */
    public static final int DPFLTR_ERROR_LEVEL = 0;
    /** DPFLTR_INFO_LEVEL. */
    public static final int DPFLTR_INFO_LEVEL = 3;

    private final KdEngine engine;

    private KdTarget(KdEngine engine) {
        this.engine = engine;
    }

    /**
     * Implements KdInitSystem: installs KiDebugRoutine and the flags on {@code kernel} and obeys the boot options
     * ({@code /DEBUG}: KD enabled, break-in polled at every clock tick; the boot images' symbol loads are reported if a
     * host is already there).
     */
    public static KdTarget install(Kernel kernel, KdTargetConfig config) {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(config, "config");
        KdEngine engine = new KdEngine(kernel, config);
        engine.initSystem();
        return new KdTarget(engine);
    }

    /**
     * Like {@link #install}, but with a host connection already on the port before KdInitSystem runs (a host that
     * waits on the serial line while the machine boots): it sees the boot symbol loads.
     */
    public static KdTarget install(Kernel kernel, KdTargetConfig config, KdConnection host) {
        KdEngine engine = new KdEngine(kernel, config);
        engine.port().attach(host);
        engine.initSystem();
        return new KdTarget(engine);
    }

    /** Accepts hosts on {@code acceptor}, one at a time, until {@link #close()}; a host that leaves can be replaced. */
    public void listen(KdAcceptor acceptor) {
        engine.port().listen(acceptor);
    }

    /**
     * Opens the port to one host connection.
     *
     * @throws IllegalStateException if a host is connected
     */
    public void attach(KdConnection connection) {
        engine.port().attach(connection);
    }

    /** Drops the current host connection (the machine resumes if it was stopped); listening goes on. */
    public void disconnectHost() {
        engine.port().disconnect();
    }

    /** @return true while a host connection is open */
    public boolean isHostConnected() {
        return engine.port().isConnected();
    }

    /** @return how many host connections the port has had (the current one included) */
    public long hostConnectionCount() {
        return engine.port().generation();
    }

    /** @return the global flags (the same object the kernel hands out) */
    public KernelDebuggerState state() {
        return engine.flags();
    }

    /** @return true while the machine is inside the debugger (frozen) */
    public boolean isInDebugger() {
        return engine.inDebugger();
    }

    /** @return the software breakpoints in the table (KdpBreakpointTable slots in use) */
    public int breakpointCount() {
        return engine.breakpointCount();
    }

    /** DbgPrint on behalf of {@code caller} (null: a system thread): never filtered. Blocks while the print is sent. */
    public NtStatus dbgPrint(EThread caller, String text) {
        return engine.dbgPrint(caller, KdDebugFilter.DBGPRINT_COMPONENT, DPFLTR_ERROR_LEVEL, text);
    }

    /** DbgPrintEx: filtered by the component's mask and Kd_WIN2000_Mask ({@link #setDebugFilterState}). */
    public NtStatus dbgPrintEx(EThread caller, int componentId, int level, String text) {
        return engine.dbgPrint(caller, componentId, level, text);
    }

    /**
     * DbgPrompt: shows {@code prompt} on the host and returns what the host typed (at most {@code maxLength}
     * characters), or empty if no host answered.
     */
    public Optional<String> dbgPrompt(EThread caller, String prompt, int maxLength) {
        return engine.dbgPrompt(caller, prompt, maxLength);
    }

    /** DbgBreakPoint from kernel code on behalf of {@code caller}: a breakpoint stop if KD is enabled. Blocks. */
    public void dbgBreakPoint(EThread caller) {
        engine.breakPoint(caller);
    }

    /** Implements NtSetDebugFilterState. */
    public void setDebugFilterState(int componentId, int level, boolean state) {
        engine.setDebugFilterState(componentId, level, state);
    }

    /** Implements KdDisableDebugger. */
    public NtStatus disableDebugger() {
        return engine.disableDebugger();
    }

    /** Implements KdEnableDebugger. */
    public NtStatus enableDebugger() {
        return engine.enableDebugger();
    }

    /** Implements KdRefreshDebuggerNotPresent: probes the host, then returns KdDebuggerNotPresent. */
    public boolean refreshDebuggerNotPresent() {
        return engine.refreshDebuggerNotPresent();
    }

    /** Takes the kernel debugger out of the machine (closes the port, ends a stop in progress). Idempotent. */
    @Override
    public void close() {
        engine.close();
    }
}
