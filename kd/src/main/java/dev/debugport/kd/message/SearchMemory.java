package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdSearchMemoryApi} (ApiNumber {@code 0x3156}), union {@code DBGKD_SEARCH_MEMORY}.
 *
 * <p>Searches memory for a pattern (ReactOS answers STATUS_UNSUCCESSFUL). The reply puts the found
 * address in the first field.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3156 (DbgKdSearchMemoryApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u64   SearchAddress in the request, FoundAddress in the reply
 *     24 u64   SearchLength
 *     32 u32   PatternLength
 *     36 20    (unused; don't-care)
 *     56 ...   extra data: request: the pattern
 * </pre>
 *
 * @param searchAddress SearchAddress in the request, FoundAddress in the reply
 * @param searchLength SearchLength
 * @param patternLength PatternLength
 */
public record SearchMemory(long searchAddress, long searchLength, int patternLength) implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.SEARCH_MEMORY.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putLong(16, searchAddress);
        b.putLong(24, searchLength);
        b.putInt(32, patternLength);
    }

    static SearchMemory readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new SearchMemory(b.getLong(16), b.getLong(24), b.getInt(32));
    }
}
