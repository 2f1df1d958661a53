package dev.debugport.kd.codec;

/**
 * The numeric constants of the KD wire protocol ({@code windbgkd.h}; {@code spec/kd.md} §1).
 */
public final class KdConstants {

    /** {@code PACKET_LEADER}: the four bytes {@code 30 30 30 30} ("0000") that start every data packet. */
    public static final int PACKET_LEADER = 0x30303030;
    /** {@code PACKET_LEADER_BYTE}: one byte of the data-packet leader. */
    public static final byte PACKET_LEADER_BYTE = 0x30;
    /** {@code CONTROL_PACKET_LEADER}: the four bytes {@code 69 69 69 69} ("iiii") that start every control packet. */
    public static final int CONTROL_PACKET_LEADER = 0x69696969;
    /** {@code CONTROL_PACKET_LEADER_BYTE}: one byte of the control-packet leader. */
    public static final byte CONTROL_PACKET_LEADER_BYTE = 0x69;
    /** {@code BREAKIN_PACKET_BYTE}: the lone byte {@code 62} ('b') a host sends to stop a running target. */
    public static final byte BREAKIN_PACKET_BYTE = 0x62;
    /** {@code BREAKIN_PACKET}: the four-byte form {@code 62 62 62 62} of the break-in. */
    public static final int BREAKIN_PACKET = 0x62626262;
    /** {@code PACKET_TRAILING_BYTE}: the byte {@code AA} that ends every data packet (never a control packet). */
    public static final byte PACKET_TRAILING_BYTE = (byte) 0xAA;
    /** {@code PACKET_MAX_SIZE}: the largest ByteCount of a data packet (payload bytes after the header). */
    public static final int PACKET_MAX_SIZE = 4000;
    /** {@code INITIAL_PACKET_ID}: the first packet id after a reset. */
    public static final int INITIAL_PACKET_ID = 0x80800000;
    /** {@code SYNC_PACKET_ID}: the bit OR-ed into the target's very first packet after boot. */
    public static final int SYNC_PACKET_ID = 0x00000800;
    /** {@code DBGKD_MAXSTREAM}: instruction bytes in a state-change control report. */
    public static final int DBGKD_MAXSTREAM = 16;
    /** {@code DBGKD_64BIT_PROTOCOL_VERSION2}: the protocol version this implementation speaks. */
    public static final int DBGKD_64BIT_PROTOCOL_VERSION2 = 6;
    /** Size of the {@code KD_PACKET} header: leader, type, byte count, id, checksum. */
    public static final int HEADER_SIZE = 16;
    /** Size of a complete data packet carrying {@link #PACKET_MAX_SIZE} payload bytes, trailer included. */
    public static final int MAX_DATA_FRAME_SIZE = HEADER_SIZE + PACKET_MAX_SIZE + 1;

    private KdConstants() {
    }
}
