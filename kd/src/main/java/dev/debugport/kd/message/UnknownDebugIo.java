package dev.debugport.kd.message;

import dev.debugport.kd.codec.ByteString;
import java.util.Objects;

/**
 * A DEBUG_IO packet with an ApiNumber other than PrintString and GetString; the 8 union bytes are kept
 * uninterpreted.
 *
 * @param apiNumber the ApiNumber field
 * @param union the 8 union bytes (offsets 8 to 15)
 */
public record UnknownDebugIo(int apiNumber, ByteString union) implements DebugIoApi {

    /** Size of the union. */
    public static final int UNION_SIZE = 8;

    /** Checks the union size and that the number is indeed unknown. */
    public UnknownDebugIo {
        Objects.requireNonNull(union, "union");
        if (union.length() != UNION_SIZE) {
            throw new IllegalArgumentException("the union is " + UNION_SIZE + " bytes, got " + union.length());
        }
        if (apiNumber == PRINT_STRING_API || apiNumber == GET_STRING_API) {
            throw new IllegalArgumentException(String.format("ApiNumber 0x%x is known; use its record", apiNumber));
        }
    }
}
