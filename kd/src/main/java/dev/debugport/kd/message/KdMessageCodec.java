package dev.debugport.kd.message;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdDataPacket;
import dev.debugport.kd.codec.KdPacketType;
import java.util.Objects;
import java.util.Optional;

/**
 * Encodes {@link KdMessage}s to packet payloads and decodes payloads by packet type, for one target
 * architecture (which fixes the control report and the Continue2 control set):
 *
 * <pre>
 *  PACKET_TYPE_KD_STATE_MANIPULATE (2) &lt;-&gt; {@link DbgkdManipulateState64}  (56-byte header)
 *  PACKET_TYPE_KD_DEBUG_IO         (3) &lt;-&gt; {@link DbgkdDebugIo}            (16-byte header)
 *  PACKET_TYPE_KD_STATE_CHANGE64   (7) &lt;-&gt; {@link DbgkdWaitStateChange64}  (240-byte header)
 *  anything else                       -&gt;  {@link KdMessageDecodeResult.Undecodable}
 * </pre>
 *
 * Stateless and thread-safe.
 *
 * @param architecture the target's architecture
 */
public record KdMessageCodec(KdArchitecture architecture) {

    /** Checks the architecture is present. */
    public KdMessageCodec {
        Objects.requireNonNull(architecture, "architecture");
    }

    /** @return the payload of {@code message} */
    public ByteString encode(KdMessage message) {
        return message.encode(architecture);
    }

    /**
     * @return a data packet carrying {@code message} with {@code packetId}
     * @throws IllegalArgumentException if the payload exceeds {@code PACKET_MAX_SIZE}
     */
    public KdDataPacket toPacket(KdMessage message, int packetId) {
        return KdDataPacket.of(message.packetType(), packetId, encode(message));
    }

    /** Decodes the payload of a packet of type {@code packetType}. */
    public KdMessageDecodeResult decode(int packetType, ByteString payload) {
        Optional<? extends KdMessage> message;
        int needed;
        if (packetType == KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE.value()) {
            message = DbgkdManipulateState64.decode(payload, architecture);
            needed = DbgkdManipulateState64.HEADER_SIZE;
        } else if (packetType == KdPacketType.PACKET_TYPE_KD_DEBUG_IO.value()) {
            message = DbgkdDebugIo.decode(payload);
            needed = DbgkdDebugIo.HEADER_SIZE;
        } else if (packetType == KdPacketType.PACKET_TYPE_KD_STATE_CHANGE64.value()) {
            message = DbgkdWaitStateChange64.decode(payload, architecture);
            needed = DbgkdWaitStateChange64.HEADER_SIZE;
        } else {
            return new KdMessageDecodeResult.Undecodable(packetType, payload.length(),
                    "no message structure for " + KdPacketType.nameOf(packetType));
        }
        return message.<KdMessageDecodeResult>map(KdMessageDecodeResult.Decoded::new)
                .orElseGet(() -> new KdMessageDecodeResult.Undecodable(packetType, payload.length(),
                        "payload of " + payload.length() + " bytes is shorter than the " + needed + "-byte header"));
    }

    /** Decodes the payload of {@code packet}. */
    public KdMessageDecodeResult decode(KdDataPacket packet) {
        return decode(packet.packetType(), packet.payload());
    }
}
