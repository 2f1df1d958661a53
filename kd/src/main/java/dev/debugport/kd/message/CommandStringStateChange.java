package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * NewState {@code DbgKdCommandStringStateChange} ({@code 0x3032}): union {@code DBGKD_COMMAND_STRING}, a
 * command for the debugger (the COMMAND_STRING debug service). The extra data is the name, a NUL, the
 * command, a NUL.
 *
 * <pre>
 *  offset size  field (of DBGKD_WAIT_STATE_CHANGE64)
 *     32 u32   Flags
 *     36 u32   Reserved1 (zero)
 *     40 u64[7] Reserved2 (zero)
 *     96 96    (unused)
 * </pre>
 *
 * @param flags Flags
 */
public record CommandStringStateChange(int flags) implements StateChangeInfo {

    @Override
    public int stateCode() {
        return COMMAND_STRING;
    }

    @Override
    public void writeUnion(ByteBuffer b) {
        b.putInt(32, flags);
    }

    static CommandStringStateChange readUnion(ByteBuffer b) {
        return new CommandStringStateChange(b.getInt(32));
    }
}
