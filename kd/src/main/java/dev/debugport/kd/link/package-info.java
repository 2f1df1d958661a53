/**
 * KD reliability: the ACK / RESEND / RESET handshake, packet ids, duplicate suppression and
 * retransmission ({@code spec/kd.md} §4, §5).
 *
 * <p>{@link dev.debugport.kd.link.KdLinkState} is the pure state machine (no threads, no clock of its
 * own, no I/O): it is fed decoded frames, submitted packets and the time, and it emits frames to send
 * and {@link dev.debugport.kd.link.KdLinkEvent}s, among them the delivered packets.
 * {@link dev.debugport.kd.link.KdLinkEndpoint} runs one over a
 * {@link dev.debugport.kd.transport.KdConnection} with a reader thread and a writer/ticker thread.
 */
package dev.debugport.kd.link;
