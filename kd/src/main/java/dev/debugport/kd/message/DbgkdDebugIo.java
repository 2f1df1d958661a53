package dev.debugport.kd.message;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdConstants;
import dev.debugport.kd.codec.KdPacketType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code DBGKD_DEBUG_IO}: the payload of a {@code PACKET_TYPE_KD_DEBUG_IO} packet, DbgPrint and DbgPrompt
 * ({@code spec/kd.md} §10).
 *
 * <pre>
 *  offset 0           4                6           8                      16
 *        +-----------+----------------+-----------+----------------------+-----------------------+
 *        | ApiNumber | ProcessorLevel | Processor | union u (8 bytes)    | extra data: string    |
 *        |    u32    |      u16       |    u16    | PrintString: u32 len | (prompt / answer)     |
 *        |           |                |           | GetString: 2 x u32   |                       |
 *        +-----------+----------------+-----------+----------------------+-----------------------+
 *  e.g. DbgPrint("hi"):
 *        30 32 00 00 | 00 00 | 00 00 | 02 00 00 00 00 00 00 00 | 68 69
 * </pre>
 *
 * @param processorLevel ProcessorLevel (u16)
 * @param processor Processor (u16)
 * @param api ApiNumber and the union
 * @param extraData the string bytes
 */
public record DbgkdDebugIo(int processorLevel, int processor, DebugIoApi api, ByteString extraData)
        implements KdMessage {

    /** Size of the fixed header. */
    public static final int HEADER_SIZE = 16;
    /** The longest string one packet carries: {@code PACKET_MAX_SIZE} minus the header. */
    public static final int MAX_STRING = KdConstants.PACKET_MAX_SIZE - HEADER_SIZE;

    /** Checks the fields. */
    public DbgkdDebugIo {
        Fields.u16(processorLevel, "processorLevel");
        Fields.u16(processor, "processor");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(extraData, "extraData");
    }

    /** @return a PrintString of {@code text} (ISO-8859-1, cut to {@link #MAX_STRING} bytes) from processor 0 */
    public static DbgkdDebugIo printString(String text) {
        ByteString bytes = ByteString.latin1(text);
        if (bytes.length() > MAX_STRING) {
            bytes = bytes.substring(0, MAX_STRING);
        }
        return new DbgkdDebugIo(0, 0, new PrintString(bytes.length()), bytes);
    }

    /** @return a target's GetString: the prompt, and the size of the buffer it offers for the answer */
    public static DbgkdDebugIo getString(String prompt, int maxAnswer) {
        ByteString bytes = ByteString.latin1(prompt);
        return new DbgkdDebugIo(0, 0, new GetString(bytes.length(), maxAnswer), bytes);
    }

    /** @return a host's answer to a GetString: the same ApiNumber, LengthOfStringRead = the answer's length */
    public static DbgkdDebugIo getStringAnswer(String answer) {
        ByteString bytes = ByteString.latin1(answer);
        return new DbgkdDebugIo(0, 0, new GetString(0, bytes.length()), bytes);
    }

    /** @return the extra data as text (ISO-8859-1) */
    public String text() {
        return extraData.toLatin1();
    }

    @Override
    public KdPacketType packetType() {
        return KdPacketType.PACKET_TYPE_KD_DEBUG_IO;
    }

    @Override
    public ByteString encode(KdArchitecture architecture) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + extraData.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, api.apiNumber());
        b.putShort(4, (short) processorLevel);
        b.putShort(6, (short) processor);
        switch (api) {
            case PrintString p -> b.putInt(8, p.lengthOfString());
            case GetString g -> {
                b.putInt(8, g.lengthOfPromptString());
                b.putInt(12, g.lengthOfStringRead());
            }
            case UnknownDebugIo u -> b.put(8, u.union().toByteArray());
        }
        b.put(HEADER_SIZE, extraData.toByteArray());
        return ByteString.of(b.array());
    }

    /** @return the message, or empty if the payload is shorter than the 16-byte header */
    public static Optional<DbgkdDebugIo> decode(ByteString payload) {
        if (payload.length() < HEADER_SIZE) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(payload.substring(0, HEADER_SIZE).toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        int apiNumber = b.getInt(0);
        DebugIoApi api = switch (apiNumber) {
            case DebugIoApi.PRINT_STRING_API -> new PrintString(b.getInt(8));
            case DebugIoApi.GET_STRING_API -> new GetString(b.getInt(8), b.getInt(12));
            default -> new UnknownDebugIo(apiNumber, payload.substring(8, 16));
        };
        return Optional.of(new DbgkdDebugIo(Short.toUnsignedInt(b.getShort(4)), Short.toUnsignedInt(b.getShort(6)),
                api, payload.substring(HEADER_SIZE, payload.length())));
    }
}
