package dev.debugport.kd.link;

/**
 * Which end of a KD link a {@link KdLinkState} plays. The two ends differ only in small rules
 * ({@code spec/kd.md} §4, §5):
 *
 * <table>
 *   <caption>Role differences</caption>
 *   <tr><th></th><th>{@link #TARGET} (kdcom / kddll)</th><th>{@link #HOST} (WinDbg, kd)</th></tr>
 *   <tr><td>first outgoing id</td><td>{@code 0x80800800} (SYNC bit set)</td><td>{@code 0x80800000}</td></tr>
 *   <tr><td>ACK id</td><td>the received id as is</td><td>the received id with the SYNC bit cleared</td></tr>
 *   <tr><td>incoming ids</td><td>exactly {@code RemotePacketId}, from {@code 0x80800000}</td>
 *       <td>the first after a reset whatever it is, then alternating</td></tr>
 *   <tr><td>RESET received</td><td>answer RESET, reset both ids, resend</td>
 *       <td>ends the host's own reset; otherwise reset ids, resend (never answered: no ping-pong)</td></tr>
 *   <tr><td>break-in received</td><td>resend the unacknowledged packet</td><td>ignored</td></tr>
 * </table>
 */
public enum KdLinkRole {
    /** The debugged machine: KdSendPacket / KdReceivePacket of kddll. */
    TARGET,
    /** The debugger. */
    HOST
}
