package dev.debugport.kd.message;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdPacketType;

/**
 * The payload of a KD data packet, decoded: a fixed API header followed by optional extra data
 * ({@code spec/kd.md} §2). {@link KdMessageCodec} encodes and decodes it.
 */
public sealed interface KdMessage permits DbgkdManipulateState64, DbgkdWaitStateChange64, DbgkdDebugIo {

    /** @return the PacketType of the data packet that carries this message */
    KdPacketType packetType();

    /** @return the bytes after the fixed header (memory, CONTEXT, strings ...), possibly empty */
    ByteString extraData();

    /** @return the payload bytes: the fixed header in the layout of {@code architecture}, then the extra data */
    ByteString encode(KdArchitecture architecture);
}
