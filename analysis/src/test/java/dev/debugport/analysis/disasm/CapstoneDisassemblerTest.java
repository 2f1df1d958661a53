package dev.debugport.analysis.disasm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.analysis.Instruction;
import dev.debugport.analysis.Instruction.Kind;
import dev.debugport.analysis.TestPrograms;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import net.fornwall.jelf.ElfFile;
import net.fornwall.jelf.ElfSection;
import net.fornwall.jelf.ElfSymbol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CapstoneDisassemblerTest {
    private final CapstoneDisassembler d = new CapstoneDisassembler();

    @AfterEach
    void close() {
        d.close();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void prologue() {
        List<Instruction> insns = d.decode(bytes(0x55, 0x48, 0x89, 0xE5), 0x401000, 10);
        assertEquals(2, insns.size());
        assertEquals("push", insns.get(0).mnemonic());
        assertEquals("rbp", insns.get(0).operands());
        assertEquals(0x401000, insns.get(0).address());
        assertArrayEquals(bytes(0x55), insns.get(0).bytes());
        assertEquals(Kind.SEQUENTIAL, insns.get(0).kind());
        assertEquals("mov", insns.get(1).mnemonic());
        assertEquals("rbp, rsp", insns.get(1).operands());
        assertEquals(0x401001, insns.get(1).address());
        assertEquals(0x401004, insns.get(1).next());
    }

    @Test
    void callWithRelativeTargetAndReturn() {
        // call rel32 = 0x10: target = next (0x401005) + 0x10
        List<Instruction> insns = d.decode(bytes(0xE8, 0x10, 0x00, 0x00, 0x00, 0xC3), 0x401000, 10);
        assertEquals(Kind.CALL, insns.get(0).kind());
        assertEquals(OptionalLong.of(0x401015), insns.get(0).target());
        assertEquals(5, insns.get(0).length());
        assertEquals(Kind.RETURN, insns.get(1).kind());
        assertEquals(OptionalLong.empty(), insns.get(1).target());
    }

    @Test
    void branchesAndInterrupts() {
        byte[] code = bytes(
                0x74, 0x02, // je +2
                0xEB, 0xFE, // jmp self
                0xFF, 0xD0, // call rax
                0xFF, 0x25, 0x08, 0x00, 0x00, 0x00, // jmp qword ptr [rip + 8]
                0xE2, 0xFE, // loop self
                0xCC, // int3
                0xCD, 0x2D, // int 0x2d
                0x0F, 0x05, // syscall
                0xF3, 0xC3, // rep ret
                0x0F, 0x0B); // ud2
        List<Instruction> insns = d.decode(code, 0x1000, 100);
        assertEquals(List.of(Kind.CONDITIONAL_JUMP, Kind.JUMP, Kind.CALL, Kind.JUMP, Kind.CONDITIONAL_JUMP, Kind.INTERRUPT,
                Kind.INTERRUPT, Kind.INTERRUPT, Kind.RETURN, Kind.SEQUENTIAL), insns.stream().map(Instruction::kind).toList());
        assertEquals(OptionalLong.of(0x1004), insns.get(0).target());
        assertEquals(OptionalLong.of(0x1002), insns.get(1).target());
        assertEquals(OptionalLong.empty(), insns.get(2).target(), "a register operand has no immediate target");
        assertEquals(OptionalLong.empty(), insns.get(3).target(), "a memory operand has no immediate target");
        assertEquals("qword ptr [rip + 8]", insns.get(3).operands());
        assertEquals(OptionalLong.of(0x100C), insns.get(4).target());
        assertEquals("ud2", insns.getLast().mnemonic());
    }

    @Test
    void invalidBytesStopDecoding() {
        // nop, then 0x06 (push es: invalid in 64-bit mode), then a nop that is never reached
        List<Instruction> insns = d.decode(bytes(0x90, 0x06, 0x90), 0, 10);
        assertEquals(1, insns.size());
        assertEquals("nop", insns.getFirst().mnemonic());
    }

    @Test
    void truncatedInstructionAndLimits() {
        assertEquals(List.of(), d.decode(bytes(0xE8, 0x10, 0x00), 0, 10), "a call cut short is not decoded");
        assertEquals(1, d.decode(bytes(0x90, 0x90, 0x90), 0, 1).size(), "maxCount limits");
        assertEquals(List.of(), d.decode(new byte[0], 0, 10));
        assertEquals(List.of(), d.decode(bytes(0x90), 0, 0));
    }

    @Test
    void closedDisassemblerSaysSo() {
        CapstoneDisassembler other = new CapstoneDisassembler();
        other.close();
        other.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.decode(bytes(0x90), 0, 1));
        assertEquals("disassembler closed", e.getMessage());
    }

    /** g and f of the compiled -O0 test program, read from its file: the whole function decodes, f calls g. */
    @Test
    void decodesACompiledFunction() throws Exception {
        ElfFile elf = ElfFile.from(new File(TestPrograms.path("callchain-O0").toString()));
        ElfSection text = elf.firstSectionByName(".text");
        ElfSymbol g = elf.getELFSymbol("g");
        ElfSymbol f = elf.getELFSymbol("f");

        List<Instruction> gCode = d.decode(function(text, g), g.st_value, 1000);
        assertEquals(g.st_size, gCode.stream().mapToInt(Instruction::length).sum(), "every byte of g decodes");
        assertEquals("push rbp", gCode.get(0).mnemonic() + " " + gCode.get(0).operands());
        assertEquals("mov rbp, rsp", gCode.get(1).mnemonic() + " " + gCode.get(1).operands());
        assertTrue(gCode.stream().anyMatch(i -> i.mnemonic().equals("int3") && i.kind() == Kind.INTERRUPT));
        assertEquals(Kind.RETURN, gCode.getLast().kind());

        List<Instruction> fCode = d.decode(function(text, f), f.st_value, 1000);
        assertTrue(fCode.stream().anyMatch(i -> i.kind() == Kind.CALL && i.target().equals(OptionalLong.of(g.st_value))),
                "f calls g at its address");
    }

    private static byte[] function(ElfSection text, ElfSymbol symbol) {
        int at = (int) (symbol.st_value - text.header.sh_addr);
        return Arrays.copyOfRange(text.getData(), at, at + (int) symbol.st_size);
    }
}
