package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * The 160-byte union {@code u} at offset 32 of a {@link DbgkdWaitStateChange64}, chosen by NewState.
 */
public sealed interface StateChangeInfo permits ExceptionStateChange, LoadSymbolsStateChange,
        CommandStringStateChange, UnknownStateChange {

    /** {@code DbgKdExceptionStateChange}. */
    int EXCEPTION = 0x3030;
    /** {@code DbgKdLoadSymbolsStateChange}. */
    int LOAD_SYMBOLS = 0x3031;
    /** {@code DbgKdCommandStringStateChange}. */
    int COMMAND_STRING = 0x3032;
    /** The NewState bit that marks an "alternate source" state change. */
    int ALTERNATE_SOURCE = 0x10000;

    /** @return the NewState value without {@link #ALTERNATE_SOURCE} (for {@link UnknownStateChange}: the raw value) */
    int stateCode();

    /** Writes the union at its absolute offsets (32 to 191) of the 240-byte structure. */
    void writeUnion(ByteBuffer b);
}
