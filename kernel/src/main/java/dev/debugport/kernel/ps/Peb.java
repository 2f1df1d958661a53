package dev.debugport.kernel.ps;

import dev.debugport.kernel.mm.MemoryAccess;
import dev.debugport.kernel.mm.ProcessMemory;
import java.util.OptionalLong;

/**
 * The fields of a process environment block that debuggers and anti-debug code read, at their real offsets in the
 * process's memory: BeingDebugged (+0x2 in both layouts) and NtGlobalFlag (+0xBC in the 64-bit PEB, +0x68 in PEB32).
 * The program can overwrite them, as on Windows.
 */
public record Peb(ProcessMemory memory, long address, boolean is32Bit) {
    public static final int BEING_DEBUGGED_OFFSET = 0x2;
    public static final int NT_GLOBAL_FLAG_OFFSET_64 = 0xBC;
    public static final int NT_GLOBAL_FLAG_OFFSET_32 = 0x68;
    /** FLG_HEAP_ENABLE_TAIL_CHECK | FLG_HEAP_ENABLE_FREE_CHECK | FLG_HEAP_VALIDATE_PARAMETERS: set for launched debuggees. */
    public static final int DEBUGGED_GLOBAL_FLAGS = 0x70;

    public boolean beingDebugged() {
        return MemoryAccess.readByte(memory, address + BEING_DEBUGGED_OFFSET).orElse(0) != 0;
    }

    /** Writes BeingDebugged; returns false if the PEB is not mapped. */
    public boolean setBeingDebugged(boolean value) {
        return MemoryAccess.writeByte(memory, address + BEING_DEBUGGED_OFFSET, value ? 1 : 0);
    }

    public OptionalLong ntGlobalFlag() {
        return MemoryAccess.readInt(memory, address + (is32Bit ? NT_GLOBAL_FLAG_OFFSET_32 : NT_GLOBAL_FLAG_OFFSET_64));
    }

    /**
     * What ntdll's LdrpInitializeProcess does in a process that starts with a debugger: turns on the heap-checking
     * flags {@link #DEBUGGED_GLOBAL_FLAGS} in NtGlobalFlag (the mark anti-debug code finds only in processes launched
     * under a debugger, never after an attach). Returns false if the PEB is not mapped.
     */
    public boolean setDebugHeapFlags() {
        return setNtGlobalFlag((int) ntGlobalFlag().orElse(0) | DEBUGGED_GLOBAL_FLAGS);
    }

    public boolean setNtGlobalFlag(int value) {
        byte[] b = {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)};
        long at = address + (is32Bit ? NT_GLOBAL_FLAG_OFFSET_32 : NT_GLOBAL_FLAG_OFFSET_64);
        return memory.write(at, b, 0, 4) == 4;
    }
}
