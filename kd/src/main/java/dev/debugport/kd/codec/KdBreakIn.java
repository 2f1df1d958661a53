package dev.debugport.kd.codec;

/**
 * The break-in: a lone byte {@code 62} ('b', {@code BREAKIN_PACKET_BYTE}) sent by a host to make a
 * running target stop. It has no header, no id and is never acknowledged.
 *
 * <pre>
 *  +----+
 *  | 62 |
 *  +----+
 * </pre>
 *
 * The decoder reports one {@code KdBreakIn} for each run of consecutive {@code 62} bytes it meets
 * outside a packet, so the four-byte form {@code 62 62 62 62} ({@code BREAKIN_PACKET}) is one break-in.
 */
public record KdBreakIn() implements KdFrame {

    /** The only instance needed. */
    public static final KdBreakIn INSTANCE = new KdBreakIn();
}
