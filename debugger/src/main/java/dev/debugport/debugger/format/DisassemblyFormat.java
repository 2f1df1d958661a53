package dev.debugport.debugger.format;

import dev.debugport.analysis.Disassembler;
import dev.debugport.analysis.Instruction;
import dev.debugport.analysis.MemoryReader;
import dev.debugport.analysis.SymbolTable;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Instructions as cdb's u prints them: {@code address bytes mnemonic operands}, call targets named. */
public final class DisassemblyFormat {
    /** The longest x86-64 instruction. */
    public static final int MAX_INSTRUCTION = 15;

    private DisassemblyFormat() {
    }

    /** Decodes up to {@code count} instructions at {@code address}, as far as memory can be read. */
    public static List<Instruction> decode(Disassembler disassembler, MemoryReader memory, long address, int count) {
        byte[] code = new byte[count * MAX_INSTRUCTION];
        return decode(disassembler, code, memory.read(address, code, 0, code.length), address, count);
    }

    /**
     * Decodes up to {@code count} instructions from the first {@code read} bytes of {@code code}, which a read at
     * {@code address} returned (nothing when it read nothing), for a caller that already holds the bytes.
     */
    public static List<Instruction> decode(Disassembler disassembler, byte[] code, int read, long address, int count) {
        if (read <= 0) {
            return List.of();
        }
        return disassembler.decode(Arrays.copyOf(code, read), address, count);
    }

    /** One line: {@code 00005555`55555139 55              push    rbp}; a direct call or jump names its target. */
    public static String line(Instruction insn, SymbolTable symbols) {
        String operands = insn.operands();
        if (insn.target().isPresent() && (insn.kind() == Instruction.Kind.CALL || insn.kind() == Instruction.Kind.JUMP
                || insn.kind() == Instruction.Kind.CONDITIONAL_JUMP)) {
            long target = insn.target().getAsLong();
            operands = symbols.describe(target) + " (" + Hex.pointer(target) + ")";
        }
        // Padded by hand rather than with String.format: each single step (t) prints this line.
        StringBuilder line = new StringBuilder(80).append(Hex.pointer(insn.address())).append(' ');
        padded(line, HexFormat.of().formatHex(insn.bytes()), 15).append(' ');
        padded(line, insn.mnemonic(), 7).append(' ').append(operands);
        return line.toString().stripTrailing();
    }

    /** {@code text} left-aligned in {@code width} columns (longer text is not cut), as %-Ns pads it. */
    private static StringBuilder padded(StringBuilder sb, String text, int width) {
        sb.append(text);
        for (int n = text.length(); n < width; n++) {
            sb.append(' ');
        }
        return sb;
    }

    /** The line for an address whose bytes cannot be read. */
    public static String unreadable(long address) {
        return Hex.pointer(address) + " ??              ???";
    }
}
