package dev.debugport.kd.message;

import dev.debugport.kd.codec.ByteString;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A state change with a NewState other than 0x3030..0x3032 (with or without the alternate-source bit);
 * the 160-byte union is kept uninterpreted.
 *
 * @param newState the raw NewState
 * @param union the union bytes (offsets 32 to 191)
 */
public record UnknownStateChange(int newState, ByteString union) implements StateChangeInfo {

    /** Size of the union. */
    public static final int UNION_SIZE = 160;

    /** Checks the union size and that the state is indeed unknown. */
    public UnknownStateChange {
        Objects.requireNonNull(union, "union");
        if (union.length() != UNION_SIZE) {
            throw new IllegalArgumentException("the union is " + UNION_SIZE + " bytes, got " + union.length());
        }
        int code = newState & ~ALTERNATE_SOURCE;
        if (code == EXCEPTION || code == LOAD_SYMBOLS || code == COMMAND_STRING) {
            throw new IllegalArgumentException(String.format("NewState 0x%x is known; use its record", newState));
        }
    }

    @Override
    public int stateCode() {
        return newState;
    }

    @Override
    public void writeUnion(ByteBuffer b) {
        b.put(32, union.toByteArray());
    }
}
