package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdCheckLowMemoryApi} (ApiNumber {@code 0x3159}), union no union.
 *
 * <p>Checks the low 4 GB of physical memory for corruption (a stub in ReactOS).
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3159 (DbgKdCheckLowMemoryApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 40    (union not used)
 *     56 ...   extra data (none)
 * </pre>
 */
public record CheckLowMemory() implements ManipulateApi {

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.CHECK_LOW_MEMORY.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
    }

    static CheckLowMemory readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new CheckLowMemory();
    }
}
