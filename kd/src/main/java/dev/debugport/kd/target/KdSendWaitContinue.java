package dev.debugport.kd.target;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdPacketType;
import dev.debugport.kd.message.Amd64ControlReport;
import dev.debugport.kd.message.CauseBugCheck;
import dev.debugport.kd.message.ClearAllInternalBreakpoints;
import dev.debugport.kd.message.Continue;
import dev.debugport.kd.message.Continue2;
import dev.debugport.kd.message.ControlReport;
import dev.debugport.kd.message.DbgkdManipulateState64;
import dev.debugport.kd.message.DbgkdWaitStateChange64;
import dev.debugport.kd.message.ExceptionRecord64;
import dev.debugport.kd.message.ExceptionStateChange;
import dev.debugport.kd.message.KdMessageCodec;
import dev.debugport.kd.message.KdMessageDecodeResult;
import dev.debugport.kd.message.Reboot;
import dev.debugport.kd.message.StateChangeInfo;
import dev.debugport.kd.message.SwitchProcessor;
import dev.debugport.kd.target.KdTargetPort.Input;
import dev.debugport.kd.target.KdTargetPort.SendOutcome;
import dev.debugport.kd.target.KdTargetPort.SendResult;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import dev.debugport.nt.NtStatus;
import java.nio.charset.StandardCharsets;

/**
 * The state change of a stop and the manipulate loop that follows it ({@code spec/kd.md} §8.4): KdpSetCommonState and
 * KdpSetContextState build the state change, KdpSendWaitContinue sends it and answers the host's STATE_MANIPULATE
 * requests until one continues. The continue APIs (DbgKdContinueApi, DbgKdContinueApi2), DbgKdSwitchProcessor,
 * DbgKdRebootApi, DbgKdCauseBugCheckApi and DbgKdClearAllInternalBreakpointsApi are answered here; every other API goes
 * to {@link KdApi}. Engine thread, with the machine frozen.
 */
final class KdSendWaitContinue {
    /** MANUALLY_INITIATED_CRASH, what CauseBugCheck bugchecks with. */
    static final int MANUALLY_INITIATED_CRASH = 0xE2;

    /** How a KdpSendWaitContinue ended. */
    enum ContinueResult {
        /** Continue with a success status: handled. */
        SUCCESS,
        /** Continue with an error status (DBG_EXCEPTION_NOT_HANDLED): not handled. */
        ERROR,
        /** The state change reached nobody, or the host went away during the stop. */
        HOST_ABSENT,
        /** The host rebooted the machine. */
        REBOOT
    }

    private final KdTargetPort port;
    private final KdMessageCodec codec;
    private final KdApi api;
    private final KdMemory memory;
    private final KdBreakpointTable breakpoints;
    private final KdKernelImage image;
    private final KdDebugIo debugIo;
    private final KdHostLoss hostLoss;
    /** The thread the host last continued with the trace flag (engine thread): its next single step is ours. */
    private EThread tracing;

    KdSendWaitContinue(KdTargetPort port, KdMessageCodec codec, KdApi api, KdMemory memory,
            KdBreakpointTable breakpoints, KdKernelImage image, KdDebugIo debugIo, KdHostLoss hostLoss) {
        this.port = port;
        this.codec = codec;
        this.api = api;
        this.memory = memory;
        this.breakpoints = breakpoints;
        this.image = image;
        this.debugIo = debugIo;
        this.hostLoss = hostLoss;
    }

    /**
     * Builds an exception state change for {@code stop} (KdpSetCommonState + KdpSetContextState): thread, PC, the
     * record, and the control report with up to 16 instruction bytes at the PC after removing this engine's
     * breakpoints from that range.
     */
    DbgkdWaitStateChange64 exceptionStateChange(KdStop stop, ExceptionRecord64 record, boolean firstChance, long pc) {
        return new DbgkdWaitStateChange64(StateChangeInfo.EXCEPTION, KdDebugIo.PROCESSOR_LEVEL, 0, 1,
                image.kthreadOf(stop.thread), pc, new ExceptionStateChange(record, firstChance), controlReport(stop, pc),
                ByteString.EMPTY);
    }

    /** Builds the load-symbols state change of KdpSymbol for the image at {@code base} (on the idle thread). */
    DbgkdWaitStateChange64 loadSymbolsStateChange(KdStop stop, String path, long base, int size, boolean unload) {
        long pc = stop.pc();
        return DbgkdWaitStateChange64.loadSymbols(KdDebugIo.PROCESSOR_LEVEL, 0, 1, image.kthreadOf(null), pc, path,
                base, 0, 0, size, unload, controlReport(stop, pc));
    }

    private ControlReport controlReport(KdStop stop, long pc) {
        breakpoints.deleteRange(pc, pc + 15, stop.process);
        byte[] stream = new byte[16];
        int n = memory.read(stop.process, pc, stream, 0, stream.length);
        Amd64Context c = stop.context;
        int cs = (int) c.get(Amd64Register.CS);
        int reportFlags = ControlReport.REPORT_INCLUDES_SEGS | (cs == 0x10 ? ControlReport.REPORT_STANDARD_CS : 0);
        return new Amd64ControlReport(c.get(Amd64Register.DR6), c.get(Amd64Register.DR7), (int) c.eflags(), n,
                reportFlags, ByteString.of(stream, 0, n), cs, (int) c.get(Amd64Register.DS), (int) c.get(Amd64Register.ES),
                (int) c.get(Amd64Register.FS));
    }

    /**
     * Implements KdpSendWaitContinue: sends the state change, then answers manipulate requests until the host
     * continues. A RESET from the host (after the state change was acknowledged) sends the state change again.
     */
    ContinueResult sendWaitContinue(KdStop stop, DbgkdWaitStateChange64 stateChange) throws InterruptedException {
        port.consumeBreakIn(); // this stop answers a pending break-in (KdpControlCPending)
        DbgkdWaitStateChange64 pending = stateChange;
        send:
        while (true) {
            stop.contextSent = false;
            long generation = port.generation();
            SendResult sent = port.send(KdPacketType.PACKET_TYPE_KD_STATE_CHANGE64.value(), codec.encode(pending));
            if (sent.outcome() != SendOutcome.ACKNOWLEDGED) {
                hostLoss.hostLost(generation);
                return ContinueResult.HOST_ABSENT;
            }
            while (true) {
                Input in = port.take(generation);
                switch (in) {
                    case KdTargetPort.Closed c -> {
                        hostLoss.hostLost(generation);
                        return ContinueResult.HOST_ABSENT;
                    }
                    case KdTargetPort.Reset r -> {
                        continue send;
                    }
                    case KdTargetPort.Packet p -> {
                        if (p.packet().packetType() != KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE.value()
                                || !(codec.decode(p.packet()) instanceof KdMessageDecodeResult.Decoded d)
                                || !(d.message() instanceof DbgkdManipulateState64 m)) {
                            continue; // not a request (a stray prompt answer, a short packet): dropped
                        }
                        switch (m.api()) {
                            case Continue c -> {
                                return c.continueStatus().isSuccess() ? ContinueResult.SUCCESS : ContinueResult.ERROR;
                            }
                            case Continue2 c -> {
                                if (!c.continueStatus().isSuccess()) {
                                    return ContinueResult.ERROR;
                                }
                                if (stop.context.trapFlag() != c.trace()) {
                                    stop.context = stop.context.withTrapFlag(c.trace());
                                    stop.contextChanged = true;
                                }
                                stop.kernelDr7 = c.dr7();
                                return ContinueResult.SUCCESS;
                            }
                            case SwitchProcessor s -> {
                                continue send; // one processor: the current one reports again
                            }
                            case Reboot r -> {
                                return ContinueResult.REBOOT;
                            }
                            case CauseBugCheck b -> {
                                debugIo.sendPrint(String.format("%n*** Fatal System Error: 0x%08x%n"
                                        + "                       (0x0000000000000000,0x0000000000000000,0x0000000000000000,0x0000000000000000)%n%n",
                                        MANUALLY_INITIATED_CRASH).getBytes(StandardCharsets.ISO_8859_1));
                                pending = exceptionStateChange(stop, ExceptionRecord64.of(NtStatus.STATUS_BREAKPOINT,
                                        KdKernelLayout.KE_BUG_CHECK_EX, KdDebugService.BREAKPOINT_BREAK), true,
                                        KdKernelLayout.KE_BUG_CHECK_EX);
                                continue send;
                            }
                            case ClearAllInternalBreakpoints c -> {
                                // no internal breakpoints here; no reply either
                            }
                            default -> {
                                SendResult r = port.send(KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE.value(),
                                        codec.encode(api.handle(m, stop)));
                                if (r.outcome() != SendOutcome.ACKNOWLEDGED) {
                                    hostLoss.hostLost(generation);
                                    return ContinueResult.HOST_ABSENT;
                                }
                                if (r.resetSeen()) {
                                    continue send;
                                }
                            }
                        }
                    }
                    default -> {
                        // a late ACK or failure of an earlier packet
                    }
                }
            }
        }
    }

    /** Remembers the thread the host continued with the trace flag: its next single step is the debugger's own. */
    void noteTrace(KdStop stop) {
        tracing = stop.thread != null && stop.context.trapFlag() ? stop.thread : null;
    }

    /** @return the thread {@link #noteTrace} last remembered (null if none), forgetting it */
    EThread takeTraced() {
        EThread traced = tracing;
        tracing = null;
        return traced;
    }
}
