package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * NewState {@code DbgKdLoadSymbolsStateChange} ({@code 0x3031}): union {@code DBGKD_LOAD_SYMBOLS64}, an
 * image was loaded or unloaded. The extra data is the image path as ANSI bytes plus a NUL
 * (PathNameLength bytes). The host must answer with Continue or Continue2 as for any stop.
 *
 * <pre>
 *  offset size  field (of DBGKD_WAIT_STATE_CHANGE64)
 *     32 u32   PathNameLength (NUL included; 0 if no name)
 *     36 u32   (padding)
 *     40 u64   BaseOfDll
 *     48 u64   ProcessId
 *     56 u32   CheckSum
 *     60 u32   SizeOfImage
 *     64 u8    UnloadSymbols: 1 unload
 *     65 127   (unused)
 * </pre>
 *
 * @param pathNameLength PathNameLength
 * @param baseOfDll BaseOfDll
 * @param processId ProcessId
 * @param checkSum CheckSum
 * @param sizeOfImage SizeOfImage
 * @param unloadSymbols UnloadSymbols (decoded: non-zero)
 */
public record LoadSymbolsStateChange(int pathNameLength, long baseOfDll, long processId, int checkSum,
                                     int sizeOfImage, boolean unloadSymbols) implements StateChangeInfo {

    @Override
    public int stateCode() {
        return LOAD_SYMBOLS;
    }

    @Override
    public void writeUnion(ByteBuffer b) {
        b.putInt(32, pathNameLength);
        b.putLong(40, baseOfDll);
        b.putLong(48, processId);
        b.putInt(56, checkSum);
        b.putInt(60, sizeOfImage);
        b.put(64, (byte) (unloadSymbols ? 1 : 0));
    }

    static LoadSymbolsStateChange readUnion(ByteBuffer b) {
        return new LoadSymbolsStateChange(b.getInt(32), b.getLong(40), b.getLong(48), b.getInt(56), b.getInt(60),
                b.get(64) != 0);
    }
}
