package dev.debugport.debugger.target;

import dev.debugport.analysis.Disassembler;
import dev.debugport.analysis.Instruction;
import dev.debugport.analysis.LeastRecentlyUsedMap;
import dev.debugport.analysis.MemoryReader;
import dev.debugport.debugger.format.DisassemblyFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The instruction at an address of one debuggee, as every stop shows it and t, p, tc and pc decide on it: decoded
 * once and reused for as long as the bytes there stay the same.
 *
 * <p>Each lookup still reads the instruction's bytes (ReadProcessMemory, a single system call) and compares them with
 * the ones the cached instruction was decoded from, so code that changed since, by the debugger's eb or by the
 * debuggee itself (a JIT, a module mapped where another one was), is decoded again without any invalidation to
 * miss. What is saved is the disassembler's work: a loop stepped with t decodes each of its instructions once.
 * Decoding one instruction depends only on its own bytes (x86 decoding reads the stream up to the instruction's
 * length and no further), so equal bytes mean an equal instruction.
 *
 * <p>Only the debugger thread uses it, as it does the session.
 */
public final class InstructionCache {
    /** Enough for the loops one steps through; the least recently used entry goes beyond it. */
    static final int CAPACITY = 1024;

    private final Disassembler disassembler;
    private final MemoryReader memory;
    private final byte[] code = new byte[DisassemblyFormat.MAX_INSTRUCTION];
    private final Map<Long, Instruction> decoded = new LeastRecentlyUsedMap<>(CAPACITY);

    public InstructionCache(Disassembler disassembler, MemoryReader memory) {
        this.disassembler = disassembler;
        this.memory = memory;
    }

    /** The instruction at {@code address}; empty when its bytes cannot be read or are no valid instruction. */
    public Optional<Instruction> at(long address) {
        int n = memory.read(address, code, 0, code.length);
        if (n <= 0) {
            return Optional.empty();
        }
        Instruction known = decoded.get(address);
        if (known != null && known.length() <= n && Arrays.equals(known.bytes(), 0, known.length(), code, 0, known.length())) {
            return Optional.of(known);
        }
        List<Instruction> one = DisassemblyFormat.decode(disassembler, code, n, address, 1);
        if (one.isEmpty()) {
            decoded.remove(address);
            return Optional.empty();
        }
        decoded.put(address, one.getFirst());
        return Optional.of(one.getFirst());
    }
}
