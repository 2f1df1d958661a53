package dev.debugport.kd.message;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdPacketType;
import dev.debugport.nt.NtStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code DBGKD_MANIPULATE_STATE64}: the payload of a {@code PACKET_TYPE_KD_STATE_MANIPULATE} packet, a
 * host's request or the target's reply ({@code spec/kd.md} §6.1).
 *
 * <pre>
 *  offset 0           4                6           8               12         16                     56
 *        +-----------+----------------+-----------+---------------+----------+----------------------+------------+
 *        | ApiNumber | ProcessorLevel | Processor | ReturnStatus  | padding  | union u (40 bytes),  | extra data |
 *        |    u32    |      u16       |    u16    | u32 NTSTATUS  |   u32    | one layout per API   | (optional) |
 *        +-----------+----------------+-----------+---------------+----------+----------------------+------------+
 *         e.g. 30 31 00 00 | 00 00 | 00 00 | 03 01 00 00 | 00 00 00 00 | 00 10 00 00 00 f8 ff ff 08 00 ...
 *              0x3130 ReadVirtualMemory            PENDING           TargetBaseAddress  TransferCount
 * </pre>
 *
 * <p>The target's reply echoes the header (ApiNumber, Processor, union) with ReturnStatus and the output
 * fields filled, plus extra data where the API has some; see {@link #reply}. The host sends ReturnStatus
 * 0 or {@code STATUS_PENDING}, and ProcessorLevel as it likes.
 *
 * @param processorLevel ProcessorLevel (u16)
 * @param processor Processor (u16): the CPU the request is about; the reply echoes it
 * @param returnStatus ReturnStatus
 * @param api ApiNumber and the union
 * @param extraData the bytes after offset 56
 */
public record DbgkdManipulateState64(int processorLevel, int processor, NtStatus returnStatus, ManipulateApi api,
                                     ByteString extraData) implements KdMessage {

    /** Size of the fixed header. */
    public static final int HEADER_SIZE = 56;

    /** Checks the fields. */
    public DbgkdManipulateState64 {
        Fields.u16(processorLevel, "processorLevel");
        Fields.u16(processor, "processor");
        Objects.requireNonNull(returnStatus, "returnStatus");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(extraData, "extraData");
    }

    /** @return a host request for processor 0 with ReturnStatus {@code STATUS_PENDING} and no extra data */
    public static DbgkdManipulateState64 request(ManipulateApi api) {
        return request(api, ByteString.EMPTY);
    }

    /** @return a host request for processor 0 with ReturnStatus {@code STATUS_PENDING} */
    public static DbgkdManipulateState64 request(ManipulateApi api, ByteString extraData) {
        return new DbgkdManipulateState64(0, 0, NtStatus.STATUS_PENDING, api, extraData);
    }

    /**
     * @return the target's reply to this request: the same ProcessorLevel and Processor, the given status,
     *         the union with its output fields filled (same ApiNumber) and the reply's extra data
     * @throws IllegalArgumentException if {@code filled} has another ApiNumber
     */
    public DbgkdManipulateState64 reply(NtStatus status, ManipulateApi filled, ByteString data) {
        if (filled.apiNumber() != api.apiNumber()) {
            throw new IllegalArgumentException("a reply echoes the ApiNumber");
        }
        return new DbgkdManipulateState64(processorLevel, processor, status, filled, data);
    }

    /** @return the reply that refuses this request: union echoed, the given status, no data */
    public DbgkdManipulateState64 failed(NtStatus status) {
        return new DbgkdManipulateState64(processorLevel, processor, status, api, ByteString.EMPTY);
    }

    /** @return a copy addressed to another processor */
    public DbgkdManipulateState64 withProcessor(int newProcessor) {
        return new DbgkdManipulateState64(processorLevel, newProcessor, returnStatus, api, extraData);
    }

    /** @return the ApiNumber */
    public int apiNumber() {
        return api.apiNumber();
    }

    @Override
    public KdPacketType packetType() {
        return KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE;
    }

    @Override
    public ByteString encode(KdArchitecture architecture) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, api.apiNumber());
        b.putShort(4, (short) processorLevel);
        b.putShort(6, (short) processor);
        b.putInt(8, returnStatus.value());
        api.writeUnion(b, architecture);
        return ByteString.of(b.array()).concat(extraData); // the extra data (up to 4 KB) is copied once
    }

    /**
     * Decodes a payload; an ApiNumber this protocol does not define yields {@link UnknownApi}.
     *
     * @return the message, or empty if the payload is shorter than the 56-byte header
     */
    public static Optional<DbgkdManipulateState64> decode(ByteString payload, KdArchitecture architecture) {
        if (payload.length() < HEADER_SIZE) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(payload.substring(0, HEADER_SIZE).toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        int apiNumber = b.getInt(0);
        ManipulateApi api = ManipulateApiNumber.fromValue(apiNumber)
                .map(known -> known.readUnion(b, architecture))
                .orElseGet(() -> UnknownApi.readUnion(apiNumber, b));
        return Optional.of(new DbgkdManipulateState64(Short.toUnsignedInt(b.getShort(4)),
                Short.toUnsignedInt(b.getShort(6)), NtStatus.of(b.getInt(8)), api,
                payload.substring(HEADER_SIZE, payload.length())));
    }
}
