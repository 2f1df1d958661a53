/**
 * Marshalling of the KD packet payloads ({@code spec/kd.md} §6, §7, §10) to and from little-endian
 * bytes:
 *
 * <ul>
 *   <li>{@link dev.debugport.kd.message.DbgkdManipulateState64} ({@code PACKET_TYPE_KD_STATE_MANIPULATE}):
 *       the 56-byte header, one {@link dev.debugport.kd.message.ManipulateApi} record per API number
 *       ({@link dev.debugport.kd.message.ManipulateApiNumber}), and the extra data;</li>
 *   <li>{@link dev.debugport.kd.message.DbgkdWaitStateChange64} ({@code PACKET_TYPE_KD_STATE_CHANGE64}):
 *       the 240-byte {@code DBGKD_ANY_WAIT_STATE_CHANGE} with its
 *       {@link dev.debugport.kd.message.StateChangeInfo} union and the architecture's
 *       {@link dev.debugport.kd.message.ControlReport};</li>
 *   <li>{@link dev.debugport.kd.message.DbgkdDebugIo} ({@code PACKET_TYPE_KD_DEBUG_IO}): print and prompt.</li>
 * </ul>
 *
 * {@link dev.debugport.kd.message.KdMessageCodec} picks the structure by packet type. Every record
 * mirrors the wire fields one to one, so {@code decode(encode(m)).equals(m)}; bytes the protocol calls
 * don't-care (unused union bytes, padding) are written as zero and ignored when read. Decoding never
 * throws on bad input: a payload too short for its fixed header is reported as
 * {@link dev.debugport.kd.message.KdMessageDecodeResult.Undecodable}, an unknown API number becomes
 * {@link dev.debugport.kd.message.UnknownApi} (so a target can answer STATUS_UNSUCCESSFUL).
 *
 * <p>u32 fields are Java {@code int}s read as unsigned where it matters
 * ({@link java.lang.Integer#toUnsignedLong}); u8 and u16 fields are {@code int}s checked to fit.
 */
package dev.debugport.kd.message;
