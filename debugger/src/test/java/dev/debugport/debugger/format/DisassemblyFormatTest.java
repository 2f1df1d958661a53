package dev.debugport.debugger.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debugport.analysis.Instruction;
import dev.debugport.analysis.symbols.ProcessSymbols;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The columns of a u / step line: address, bytes padded to 15, mnemonic padded to 7, operands. */
class DisassemblyFormatTest {
    /** No modules: an address is described by its hex digits alone. */
    private final ProcessSymbols symbols = new ProcessSymbols((address, buffer, offset, length) -> 0);

    private static Instruction insn(long address, byte[] bytes, String mnemonic, String operands, Instruction.Kind kind,
                                    OptionalLong target) {
        return new Instruction(address, bytes, mnemonic, operands, kind, target);
    }

    @Test
    void shortInstructionIsPaddedIntoColumns() {
        Instruction push = insn(0x555555555139L, new byte[] {0x55}, "push", "rbp", Instruction.Kind.SEQUENTIAL,
                OptionalLong.empty());
        assertEquals("00005555`55555139 55              push    rbp", DisassemblyFormat.line(push, symbols));
    }

    @Test
    void bytesWiderThanTheirColumnPushTheRestRight() {
        byte[] nop = {0x66, 0x66, 0x2e, 0x0f, 0x1f, (byte) 0x84, 0, 0, 0, 0, 0};
        Instruction i = insn(0x7ffff7fcc061L, nop, "nop", "word ptr cs:[rax + rax]", Instruction.Kind.SEQUENTIAL,
                OptionalLong.empty());
        assertEquals("00007fff`f7fcc061 66662e0f1f840000000000 nop     word ptr cs:[rax + rax]",
                DisassemblyFormat.line(i, symbols));
    }

    @Test
    void noOperandsLeavesNoTrailingBlanks() {
        Instruction ret = insn(0x1000, new byte[] {(byte) 0xc3}, "ret", "", Instruction.Kind.RETURN, OptionalLong.empty());
        assertEquals("00000000`00001000 c3              ret", DisassemblyFormat.line(ret, symbols));
    }

    @Test
    void callNamesItsTarget() {
        Instruction call = insn(0x1000, new byte[] {(byte) 0xe8, 0, 0, 0, 0}, "call", "0x1005", Instruction.Kind.CALL,
                OptionalLong.of(0x1005));
        assertEquals("00000000`00001000 e800000000      call    0000000000001005 (00000000`00001005)",
                DisassemblyFormat.line(call, symbols));
    }
}
