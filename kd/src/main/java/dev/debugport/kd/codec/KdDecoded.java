package dev.debugport.kd.codec;

/**
 * One output of {@link KdFrameDecoder}: either a well-formed {@link KdFrame} or a {@link KdFrameError}
 * describing input that looked like the start of a frame but was not one.
 */
public sealed interface KdDecoded permits KdFrame, KdFrameError {
}
