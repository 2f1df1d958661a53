package dev.debugport.kd.message;

/**
 * The outcome of {@link KdMessageCodec#decode}: a message, or the reason a payload could not be one.
 * Bad input is a value here, never an exception.
 */
public sealed interface KdMessageDecodeResult {

    /**
     * The payload decoded.
     *
     * @param message the message
     */
    record Decoded(KdMessage message) implements KdMessageDecodeResult {
    }

    /**
     * The payload is not a message this codec understands: a packet type without a structure here
     * (control types, TRACE_IO, FILE_IO ...) or a payload shorter than its fixed header. kddll answers the
     * short case with RESEND; a receiver that gets it for a good packet just drops it.
     *
     * @param packetType the packet type
     * @param payloadLength the payload length
     * @param reason a description
     */
    record Undecodable(int packetType, int payloadLength, String reason) implements KdMessageDecodeResult {
    }
}
