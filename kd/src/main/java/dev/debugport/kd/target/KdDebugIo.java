package dev.debugport.kd.target;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdPacketType;
import dev.debugport.kd.message.DbgkdDebugIo;
import dev.debugport.kd.message.GetString;
import dev.debugport.kd.message.KdMessageCodec;
import dev.debugport.kd.message.KdMessageDecodeResult;
import dev.debugport.kd.message.PrintString;
import dev.debugport.kd.target.KdTargetPort.Input;
import dev.debugport.kd.target.KdTargetPort.SendOutcome;
import dev.debugport.kd.target.KdTargetPort.SendResult;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.NtStatus;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The kernel debugger's DEBUG_IO packets ({@code spec/kd.md} §8.8): KdpPrint (the filter, the 512-byte clamp,
 * KdPrintCircularBuffer, then the text to the host inside the debugger), KdpPrintString (one PrintString packet, never
 * retried) and KdpPrompt (GetString and the host's answer). Engine thread.
 */
final class KdDebugIo {
    /** The longest DbgPrint text (KdpPrint clamps to 512 bytes). */
    static final int MAX_PRINT = 512;
    /** The ProcessorLevel of every packet the target sends (family 6). */
    static final int PROCESSOR_LEVEL = 6;
    static final NtStatus STATUS_DEVICE_NOT_CONNECTED = NtStatus.of(0xC000009D);

    private final KdFlags flags;
    private final KdDebugFilter filter;
    private final KdKernelImage image;
    private final KdTargetPort port;
    private final KdMessageCodec codec;
    private final KdDebuggerEntry entry;
    private final KdHostLoss hostLoss;

    KdDebugIo(KdFlags flags, KdDebugFilter filter, KdKernelImage image, KdTargetPort port, KdMessageCodec codec,
            KdDebuggerEntry entry, KdHostLoss hostLoss) {
        this.flags = flags;
        this.filter = filter;
        this.image = image;
        this.port = port;
        this.codec = codec;
        this.entry = entry;
        this.hostLoss = hostLoss;
    }

    /**
     * Implements KdpPrint ({@code spec/kd.md} §8.8): filter, clamp to 512 bytes, log to KdPrintCircularBuffer, and if
     * a host is present send a DEBUG_IO print inside the debugger (never retried; dropped on failure).
     *
     * @return STATUS_BREAKPOINT if a break-in arrived meanwhile (the caller then breaks in)
     */
    NtStatus print(EThread caller, int componentId, int level, byte[] text) throws InterruptedException {
        if (!filter.enabled(componentId, level)) {
            return NtStatus.STATUS_SUCCESS;
        }
        byte[] t = text.length > MAX_PRINT ? Arrays.copyOf(text, MAX_PRINT) : text;
        image.appendPrintLog(t);
        if (flags.kdDebuggerNotPresent()) {
            return STATUS_DEVICE_NOT_CONNECTED;
        }
        boolean breakIn;
        entry.enter(printStop(caller), false);
        try {
            sendPrint(t);
            breakIn = port.consumeBreakIn(); // KdpPollBreakInWithPortLock
        } finally {
            entry.exit();
        }
        return breakIn ? NtStatus.STATUS_BREAKPOINT : NtStatus.STATUS_SUCCESS;
    }

    private static KdStop printStop(EThread caller) {
        return caller == null ? KdStop.idle(KdKernelLayout.DBG_BREAK_POINT) : KdStop.of(caller, Amd64Context.zero());
    }

    /** KdpPrintString: one DEBUG_IO PrintString packet. */
    void sendPrint(byte[] text) throws InterruptedException {
        DbgkdDebugIo io = new DbgkdDebugIo(PROCESSOR_LEVEL, 0, new PrintString(text.length), ByteString.of(text));
        long generation = port.generation();
        SendResult r = port.send(KdPacketType.PACKET_TYPE_KD_DEBUG_IO.value(), codec.encode(io));
        if (r.outcome() == SendOutcome.NO_CONNECTION) {
            hostLoss.hostLost(generation);
        }
    }

    /** KdRefreshDebuggerNotPresent's probe: a print from a system thread, inside the debugger. */
    void probeHost() throws InterruptedException {
        entry.enter(printStop(null), false);
        try {
            sendPrint("KDTARGET: Refreshing KD connection\n".getBytes(StandardCharsets.ISO_8859_1));
        } finally {
            entry.exit();
        }
    }

    /** Implements KdpPrompt: sends GetString and waits for the host's DEBUG_IO answer (resending after a RESET). */
    Optional<String> prompt(EThread caller, byte[] prompt, int maxLength) throws InterruptedException {
        if (flags.kdDebuggerNotPresent()) {
            return Optional.empty();
        }
        byte[] p = prompt.length > MAX_PRINT ? Arrays.copyOf(prompt, MAX_PRINT) : prompt;
        DbgkdDebugIo io = new DbgkdDebugIo(PROCESSOR_LEVEL, 0, new GetString(p.length, maxLength), ByteString.of(p));
        entry.enter(printStop(caller), false);
        try {
            long generation = port.generation();
            resend:
            while (true) {
                SendResult r = port.send(KdPacketType.PACKET_TYPE_KD_DEBUG_IO.value(), codec.encode(io));
                if (r.outcome() != SendOutcome.ACKNOWLEDGED) {
                    if (r.outcome() == SendOutcome.NO_CONNECTION) {
                        hostLoss.hostLost(generation);
                    }
                    return Optional.empty();
                }
                while (true) {
                    Input in = port.take(generation);
                    switch (in) {
                        case KdTargetPort.Closed c -> {
                            hostLoss.hostLost(generation);
                            return Optional.empty();
                        }
                        case KdTargetPort.Reset reset -> {
                            continue resend;
                        }
                        case KdTargetPort.Packet packet -> {
                            if (packet.packet().packetType() == KdPacketType.PACKET_TYPE_KD_DEBUG_IO.value()
                                    && codec.decode(packet.packet()) instanceof KdMessageDecodeResult.Decoded d
                                    && d.message() instanceof DbgkdDebugIo answer && answer.api() instanceof GetString g) {
                                int n = Math.min(Math.min(Math.max(0, g.lengthOfStringRead()), answer.extraData().length()),
                                        Math.max(0, maxLength));
                                return Optional.of(answer.extraData().substring(0, n).toLatin1());
                            }
                        }
                        default -> {
                            // nothing else answers a prompt
                        }
                    }
                }
            }
        } finally {
            entry.exit();
        }
    }
}
