package dev.debugport.kd.message;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdPacketType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code DBGKD_WAIT_STATE_CHANGE64} ({@code DBGKD_ANY_WAIT_STATE_CHANGE}): the payload of a
 * {@code PACKET_TYPE_KD_STATE_CHANGE64} packet, "the target stopped" ({@code spec/kd.md} §7). 240 bytes,
 * then optional extra data.
 *
 * <pre>
 *  offset 0          4                6           8                  12        16
 *        +----------+----------------+-----------+------------------+---------+
 *        | NewState | ProcessorLevel | Processor | NumberProcessors | padding |
 *        |   u32    |      u16       |    u16    |       u32        |   u32   |
 *        +----------+----------------+-----------+------------------+---------+
 *     16 | Thread u64 (KTHREAD address)                                      |
 *     24 | ProgramCounter u64                                                |
 *        +-------------------------------------------------------------------+
 *     32 | union u, 160 bytes, by NewState:                                  |
 *        |   0x3030 DbgKdExceptionStateChange   -&gt; {@link ExceptionStateChange}   |
 *        |   0x3031 DbgKdLoadSymbolsStateChange -&gt; {@link LoadSymbolsStateChange} |
 *        |   0x3032 DbgKdCommandStringStateChange -&gt; {@link CommandStringStateChange} |
 *        +-------------------------------------------------------------------+
 *    192 | control report, 48 bytes, by architecture ({@link ControlReport})  |
 *        +-------------------------------------------------------------------+
 *    240 | extra data: load symbols = path + NUL; command string = name + NUL |
 *        | + command + NUL; exception = none (ReactOS appends a u32 trace)    |
 *        +-------------------------------------------------------------------+
 * </pre>
 *
 * On 32-bit targets Thread, ProgramCounter and every pointer of the union are sign-extended.
 *
 * @param newState NewState: the info's code, possibly OR {@link StateChangeInfo#ALTERNATE_SOURCE}
 * @param processorLevel ProcessorLevel (u16): the CPU family, e.g. 6
 * @param processor Processor (u16): the reporting CPU
 * @param numberProcessors NumberProcessors
 * @param thread Thread
 * @param programCounter ProgramCounter
 * @param info the union, consistent with NewState
 * @param controlReport the control report
 * @param extraData the bytes after offset 240
 */
public record DbgkdWaitStateChange64(int newState, int processorLevel, int processor, int numberProcessors,
                                     long thread, long programCounter, StateChangeInfo info,
                                     ControlReport controlReport, ByteString extraData) implements KdMessage {

    /** Size of the fixed structure. */
    public static final int HEADER_SIZE = 240;

    /** Checks the fields and that NewState agrees with the union. */
    public DbgkdWaitStateChange64 {
        Fields.u16(processorLevel, "processorLevel");
        Fields.u16(processor, "processor");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(controlReport, "controlReport");
        Objects.requireNonNull(extraData, "extraData");
        int expected = info instanceof UnknownStateChange ? newState : newState & ~StateChangeInfo.ALTERNATE_SOURCE;
        if (expected != info.stateCode()) {
            throw new IllegalArgumentException(String.format("NewState 0x%x does not match %s", newState,
                    info.getClass().getSimpleName()));
        }
    }

    /**
     * @return an exception state change ({@code DbgKdExceptionStateChange}) with no extra data; the
     *         ProgramCounter is the exception address
     */
    public static DbgkdWaitStateChange64 exception(int processorLevel, int processor, int numberProcessors,
                                                   long thread, ExceptionRecord64 record, boolean firstChance,
                                                   ControlReport report) {
        return new DbgkdWaitStateChange64(StateChangeInfo.EXCEPTION, processorLevel, processor, numberProcessors,
                thread, record.exceptionAddress(), new ExceptionStateChange(record, firstChance), report,
                ByteString.EMPTY);
    }

    /**
     * @return a load-symbols state change ({@code DbgKdLoadSymbolsStateChange}) whose extra data is
     *         {@code path} as ISO-8859-1 plus a NUL, PathNameLength counting the NUL
     */
    public static DbgkdWaitStateChange64 loadSymbols(int processorLevel, int processor, int numberProcessors,
                                                     long thread, long programCounter, String path, long baseOfDll,
                                                     long processId, int checkSum, int sizeOfImage, boolean unload,
                                                     ControlReport report) {
        ByteString name = ByteString.latin1(path).concat(ByteString.zeros(1));
        return new DbgkdWaitStateChange64(StateChangeInfo.LOAD_SYMBOLS, processorLevel, processor, numberProcessors,
                thread, programCounter,
                new LoadSymbolsStateChange(name.length(), baseOfDll, processId, checkSum, sizeOfImage, unload),
                report, name);
    }

    /** @return true if NewState carries the alternate-source bit */
    public boolean alternateSource() {
        return !(info instanceof UnknownStateChange) && (newState & StateChangeInfo.ALTERNATE_SOURCE) != 0;
    }

    /** @return for a load-symbols change, the image path: the extra data up to its first NUL */
    public Optional<String> imagePath() {
        if (!(info instanceof LoadSymbolsStateChange)) {
            return Optional.empty();
        }
        String text = extraData.toLatin1();
        int nul = text.indexOf('\0');
        return Optional.of(nul < 0 ? text : text.substring(0, nul));
    }

    @Override
    public KdPacketType packetType() {
        return KdPacketType.PACKET_TYPE_KD_STATE_CHANGE64;
    }

    /**
     * Encodes the structure; the control report is written in its own layout (the {@code architecture}
     * argument matters only for decoding).
     */
    @Override
    public ByteString encode(KdArchitecture architecture) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + extraData.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, newState);
        b.putShort(4, (short) processorLevel);
        b.putShort(6, (short) processor);
        b.putInt(8, numberProcessors);
        b.putLong(16, thread);
        b.putLong(24, programCounter);
        info.writeUnion(b);
        controlReport.writeTo(b);
        b.put(HEADER_SIZE, extraData.toByteArray());
        return ByteString.of(b.array());
    }

    /**
     * Decodes a payload, reading the control report in the layout of {@code architecture}.
     *
     * @return the message, or empty if the payload is shorter than 240 bytes
     */
    public static Optional<DbgkdWaitStateChange64> decode(ByteString payload, KdArchitecture architecture) {
        if (payload.length() < HEADER_SIZE) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(payload.substring(0, HEADER_SIZE).toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        int newState = b.getInt(0);
        StateChangeInfo info = switch (newState & ~StateChangeInfo.ALTERNATE_SOURCE) {
            case StateChangeInfo.EXCEPTION -> ExceptionStateChange.readUnion(b);
            case StateChangeInfo.LOAD_SYMBOLS -> LoadSymbolsStateChange.readUnion(b);
            case StateChangeInfo.COMMAND_STRING -> CommandStringStateChange.readUnion(b);
            default -> new UnknownStateChange(newState, payload.substring(32, 192));
        };
        return Optional.of(new DbgkdWaitStateChange64(newState, Short.toUnsignedInt(b.getShort(4)),
                Short.toUnsignedInt(b.getShort(6)), b.getInt(8), b.getLong(16), b.getLong(24), info,
                ControlReport.readFrom(b, architecture), payload.substring(HEADER_SIZE, payload.length())));
    }
}
