package dev.debugport.analysis;

import java.util.List;

/** Decodes x86-64 machine code (64-bit mode). */
public interface Disassembler extends AutoCloseable {
    /**
     * Decodes up to {@code maxCount} instructions from {@code code}, which holds the bytes at {@code address}.
     * Decoding stops early at bytes that are not a valid instruction or run past the end of {@code code}.
     */
    List<Instruction> decode(byte[] code, long address, int maxCount);

    @Override
    void close();
}
