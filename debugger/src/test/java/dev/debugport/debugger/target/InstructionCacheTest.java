package dev.debugport.debugger.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.analysis.Disassembler;
import dev.debugport.analysis.Instruction;
import dev.debugport.analysis.MemoryReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The decoded-instruction cache: reused while the bytes stay, decoded again when they change. */
class InstructionCacheTest {
    private static final long BASE = 0x1000;

    /** 64 bytes of memory at BASE; nothing readable elsewhere. */
    private final byte[] memory = new byte[64];
    private final MemoryReader reader = (address, buffer, offset, length) -> {
        if (address < BASE || address >= BASE + memory.length) {
            return 0;
        }
        int n = (int) Math.min(length, BASE + memory.length - address);
        System.arraycopy(memory, (int) (address - BASE), buffer, offset, n);
        return n;
    };
    /** The addresses the disassembler was asked to decode at. */
    private final List<Long> decodes = new ArrayList<>();
    /** 0x90 is a one-byte nop, 0xE8 a five-byte call rel32; anything else is not an instruction. */
    private final Disassembler disassembler = new Disassembler() {
        @Override
        public List<Instruction> decode(byte[] code, long address, int maxCount) {
            decodes.add(address);
            return switch (code[0] & 0xFF) {
                case 0x90 -> List.of(new Instruction(address, new byte[] {code[0]}, "nop", "", Instruction.Kind.SEQUENTIAL,
                        OptionalLong.empty()));
                case 0xE8 -> code.length < 5 ? List.of() : List.of(new Instruction(address, Arrays.copyOf(code, 5), "call",
                        "x", Instruction.Kind.CALL, OptionalLong.empty()));
                default -> List.of();
            };
        }

        @Override
        public void close() {
        }
    };
    private final InstructionCache cache = new InstructionCache(disassembler, reader);

    @Test
    void anInstructionIsDecodedOnceWhileItsBytesStay() {
        memory[0] = (byte) 0x90;
        Instruction first = cache.at(BASE).orElseThrow();
        memory[1] = (byte) 0xE8; // the byte after the instruction changes: it is not part of it
        assertSame(first, cache.at(BASE).orElseThrow());
        assertEquals(List.of(BASE), decodes);
    }

    @Test
    void changedBytesAreDecodedAgain() {
        memory[0] = (byte) 0x90;
        assertEquals("nop", cache.at(BASE).orElseThrow().mnemonic());
        memory[0] = (byte) 0xE8; // eb, or the debuggee rewriting its code
        assertEquals("call", cache.at(BASE).orElseThrow().mnemonic());
        assertEquals(2, decodes.size());
        memory[3] = 1; // inside the call's five bytes
        Instruction call = cache.at(BASE).orElseThrow();
        assertEquals(1, call.bytes()[3]);
        assertEquals(3, decodes.size(), "a change inside the instruction's bytes decodes it again");
    }

    @Test
    void unreadableOrInvalidBytesAreNoInstruction() {
        assertTrue(cache.at(BASE - 1).isEmpty());
        memory[0] = (byte) 0x0F;
        assertTrue(cache.at(BASE).isEmpty());
        memory[0] = (byte) 0x90;
        assertEquals("nop", cache.at(BASE).orElseThrow().mnemonic());
        // A call whose last bytes run past readable memory is no instruction, even though its address was one.
        memory[memory.length - 2] = (byte) 0xE8;
        assertTrue(cache.at(BASE + memory.length - 2).isEmpty());
    }

    @Test
    void theLeastRecentlyUsedEntryGoesBeyondTheCapacity() {
        byte[] big = new byte[InstructionCache.CAPACITY + 1];
        Arrays.fill(big, (byte) 0x90);
        MemoryReader nops = (address, buffer, offset, length) -> {
            int n = (int) Math.max(0, Math.min(length, big.length - address));
            System.arraycopy(big, (int) address, buffer, offset, n);
            return n;
        };
        InstructionCache bounded = new InstructionCache(disassembler, nops);
        for (long a = 0; a <= InstructionCache.CAPACITY; a++) {
            bounded.at(a);
        }
        decodes.clear();
        bounded.at(InstructionCache.CAPACITY);
        assertEquals(List.of(), decodes, "the newest is kept");
        bounded.at(0);
        assertEquals(List.of(0L), decodes, "the oldest went");
    }
}
