/**
 * KD framing, with no I/O: what a {@code KD_PACKET} looks like on a serial line, a pipe or a socket.
 *
 * <pre>
 *  data packet    30 30 30 30 | type u16 | count u16 | id u32 | checksum u32 | payload[count] | AA
 *  control packet 69 69 69 69 | type u16 | 00 00     | id u32 | 00 00 00 00
 *  break-in       62
 * </pre>
 *
 * <p>{@link dev.debugport.kd.codec.KdFrameEncoder} turns a {@link dev.debugport.kd.codec.KdFrame} into
 * bytes; {@link dev.debugport.kd.codec.KdFrameDecoder} turns arbitrary chunks of bytes back into frames
 * and into {@link dev.debugport.kd.codec.KdFrameError} values for everything malformed. All multi-byte
 * fields are little-endian ({@code spec/kd.md} §2).
 */
package dev.debugport.kd.codec;
