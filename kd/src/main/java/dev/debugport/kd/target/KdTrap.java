package dev.debugport.kd.target;

import dev.debugport.kd.message.DbgkdWaitStateChange64;
import dev.debugport.kd.message.ExceptionRecord64;
import dev.debugport.kd.target.KdSendWaitContinue.ContinueResult;
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

/**
 * KdpTrap with KD enabled, for the exceptions of user-mode threads whose process has no debug port: the debug services
 * (int 2dh print and prompt), OutputDebugString without a user-mode debugger, and KdpReport's exception state change
 * with the host's context written back when it continues. Engine thread.
 */
final class KdTrap {
    static final NtStatus STATUS_PORT_DISCONNECTED = NtStatus.of(0xC0000037);

    private final Platform platform;
    private final KdTargetConfig config;
    private final KdTargetPort port;
    private final KdMemory memory;
    private final KdBreakpointTable breakpoints;
    private final KdDebuggerEntry entry;
    private final KdDebugIo debugIo;
    private final KdSendWaitContinue stateChanges;
    private final KdBreakIn breakIn;

    KdTrap(Platform platform, KdTargetConfig config, KdTargetPort port, KdMemory memory, KdBreakpointTable breakpoints,
            KdDebuggerEntry entry, KdDebugIo debugIo, KdSendWaitContinue stateChanges, KdBreakIn breakIn) {
        this.platform = platform;
        this.config = config;
        this.port = port;
        this.memory = memory;
        this.breakpoints = breakpoints;
        this.entry = entry;
        this.debugIo = debugIo;
        this.stateChanges = stateChanges;
        this.breakIn = breakIn;
    }

    /**
     * Implements KdpTrap for an enabled kernel debugger.
     *
     * @return true if the exception is handled (the thread goes on with its context as the debugger left it)
     */
    boolean trap(EThread thread, ExceptionRecord record, boolean firstChance) throws InterruptedException {
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
                NtStatus s = print(thread, (int) ctx.get(Amd64Register.R8), (int) ctx.get(Amd64Register.R9), text);
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
        if (text.length > 0) {
            print(thread, KdDebugFilter.DBGPRINT_COMPONENT, KdDebugFilter.ERROR_LEVEL, text);
        }
    }

    /**
     * DbgPrint's print service: KdpPrint, then, when the host broke in during the print, DbgPrint's
     * DbgBreakPointWithStatus(DBG_STATUS_CONTROL_C) stop on {@code caller}. Returns the print's status, STATUS_SUCCESS
     * after such a stop.
     */
    NtStatus print(EThread caller, int componentId, int level, byte[] text) throws InterruptedException {
        NtStatus s = debugIo.print(caller, componentId, level, text);
        if (s.equals(NtStatus.STATUS_BREAKPOINT)) {
            breakIn.stop(caller);
            return NtStatus.STATUS_SUCCESS;
        }
        return s;
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
            DbgkdWaitStateChange64 change = stateChanges.exceptionStateChange(stop, ExceptionRecord64.fromNt(record, 0),
                    firstChance, record.address());
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
        breakIn.afterStop(result);
        return result == ContinueResult.SUCCESS || (result == ContinueResult.HOST_ABSENT && ownTrap);
    }
}
