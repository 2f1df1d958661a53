package dev.debugport.kd.message;

import dev.debugport.kd.codec.ByteString;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A manipulate request whose ApiNumber this protocol version does not define (for example the obsolete
 * {@code 0x3154}/{@code 0x3155} or anything past {@code DbgKdMaximumManipulate}). The union is kept
 * uninterpreted, so a target can echo the header back with ReturnStatus {@code STATUS_UNSUCCESSFUL} and no
 * data, which is what {@code spec/kd.md} §6.1 asks for ("always reply, or the host hangs").
 *
 * <pre>
 *  offset size  field
 *      0 u32   ApiNumber (unknown)
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 40    union, kept as raw bytes
 *     56 ...   extra data, kept as is
 * </pre>
 *
 * @param apiNumber the ApiNumber field
 * @param union the 40 union bytes (offsets 16 to 55)
 */
public record UnknownApi(int apiNumber, ByteString union) implements ManipulateApi {

    /** Size of the union. */
    public static final int UNION_SIZE = 40;

    /** Checks the union size, and that the number is indeed unknown. */
    public UnknownApi {
        Objects.requireNonNull(union, "union");
        if (union.length() != UNION_SIZE) {
            throw new IllegalArgumentException("the union is " + UNION_SIZE + " bytes, got " + union.length());
        }
        if (ManipulateApiNumber.fromValue(apiNumber).isPresent()) {
            throw new IllegalArgumentException(String.format("ApiNumber 0x%x is known; use its record", apiNumber));
        }
    }

    /** @return an unknown request with a zero union */
    public static UnknownApi of(int apiNumber) {
        return new UnknownApi(apiNumber, ByteString.zeros(UNION_SIZE));
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        for (int i = 0; i < UNION_SIZE; i++) {
            b.put(16 + i, union.get(i));
        }
    }

    static UnknownApi readUnion(int apiNumber, ByteBuffer b) {
        byte[] raw = new byte[UNION_SIZE];
        b.get(16, raw);
        return new UnknownApi(apiNumber, ByteString.of(raw));
    }
}
