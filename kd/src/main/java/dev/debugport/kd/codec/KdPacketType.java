package dev.debugport.kd.codec;

import java.util.Optional;

/**
 * The {@code PacketType} field of a {@code KD_PACKET} header ({@code spec/kd.md} §1).
 *
 * <p>Frames carry the type as a raw {@code int} so that values this enum does not know survive a
 * round trip; {@link #fromValue(int)} maps a raw value back to a constant.
 */
public enum KdPacketType {
    /** {@code PACKET_TYPE_UNUSED} (0): seen only on KDNET. */
    PACKET_TYPE_UNUSED(0),
    /**
     * {@code PACKET_TYPE_KD_STATE_CHANGE32} (1): the obsolete 32-bit protocol, which debugport does not speak (its
     * hosts and targets are 64-bit).
     */
    PACKET_TYPE_KD_STATE_CHANGE32(1),
    /** {@code PACKET_TYPE_KD_STATE_MANIPULATE} (2): host-to-target request, target-to-host response. */
    PACKET_TYPE_KD_STATE_MANIPULATE(2),
    /** {@code PACKET_TYPE_KD_DEBUG_IO} (3): target print / prompt, host prompt answer. */
    PACKET_TYPE_KD_DEBUG_IO(3),
    /** {@code PACKET_TYPE_KD_ACKNOWLEDGE} (4): control packet, "your packet with this id arrived intact". */
    PACKET_TYPE_KD_ACKNOWLEDGE(4),
    /** {@code PACKET_TYPE_KD_RESEND} (5): control packet, "send your last packet again". */
    PACKET_TYPE_KD_RESEND(5),
    /** {@code PACKET_TYPE_KD_RESET} (6): control packet, "reset the packet ids". */
    PACKET_TYPE_KD_RESET(6),
    /** {@code PACKET_TYPE_KD_STATE_CHANGE64} (7): target-to-host "I stopped". */
    PACKET_TYPE_KD_STATE_CHANGE64(7),
    /** {@code PACKET_TYPE_KD_POLL_BREAKIN} (8): never on the wire; a receive mode of the target. */
    PACKET_TYPE_KD_POLL_BREAKIN(8),
    /** {@code PACKET_TYPE_KD_TRACE_IO} (9): target-to-host trace data. */
    PACKET_TYPE_KD_TRACE_IO(9),
    /** {@code PACKET_TYPE_KD_CONTROL_REQUEST} (10): hardware-breakpoint arbitration. */
    PACKET_TYPE_KD_CONTROL_REQUEST(10),
    /** {@code PACKET_TYPE_KD_FILE_IO} (11): target-to-host file requests. */
    PACKET_TYPE_KD_FILE_IO(11),
    /** {@code PACKET_TYPE_MAX} (12): not a packet; the value reported in GetVersion.MaxPacketType. */
    PACKET_TYPE_MAX(12);

    private static final KdPacketType[] BY_VALUE = values();

    private final int value;

    KdPacketType(int value) {
        this.value = value;
    }

    /** @return the raw u16 value on the wire */
    public int value() {
        return value;
    }

    /** @return true for ACK, RESEND and RESET, the types sent with the control leader */
    public boolean isControl() {
        return this == PACKET_TYPE_KD_ACKNOWLEDGE || this == PACKET_TYPE_KD_RESEND || this == PACKET_TYPE_KD_RESET;
    }

    /**
     * @param value a raw PacketType
     * @return the constant with that value, or empty for a value this protocol version does not define
     */
    public static Optional<KdPacketType> fromValue(int value) {
        return value >= 0 && value < BY_VALUE.length ? Optional.of(BY_VALUE[value]) : Optional.empty();
    }

    /**
     * @param value a raw PacketType
     * @return true if the value can appear in a well-formed header: 0 to 11 ({@code PACKET_TYPE_MAX}
     *         itself is a count, not a type)
     */
    public static boolean isValidOnWire(int value) {
        return value >= 0 && value < PACKET_TYPE_MAX.value;
    }

    /**
     * @param value a raw PacketType
     * @return the NT name for a known value, else {@code "PacketType(0x....)"}
     */
    public static String nameOf(int value) {
        return fromValue(value).map(Enum::name).orElse(String.format("PacketType(0x%04x)", value));
    }
}
