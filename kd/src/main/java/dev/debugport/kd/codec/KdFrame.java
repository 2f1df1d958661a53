package dev.debugport.kd.codec;

/**
 * One unit on the KD wire ({@code spec/kd.md} §2): a {@link KdDataPacket}, a {@link KdControlPacket}
 * or a {@link KdBreakIn}. {@link KdFrameEncoder} turns a frame into bytes.
 */
public sealed interface KdFrame extends KdDecoded permits KdDataPacket, KdControlPacket, KdBreakIn {
}
