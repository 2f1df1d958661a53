package dev.debugport.analysis.unwind;

import dev.debugport.analysis.dwarf.DwarfExpression;
import dev.debugport.analysis.dwarf.DwarfReader;
import dev.debugport.analysis.dwarf.ExpressionFrame;
import dev.debugport.analysis.dwarf.MalformedDwarfException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.analysis.MemoryReader;
import dev.debugport.analysis.StackFrame;
import dev.debugport.analysis.elf.ElfModule;
import dev.debugport.analysis.elf.ElfModules;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The pieces of the CFI unwinder on hand-assembled bytes, and the .eh_frame of the system libc. */
class CallFrameInformationTest {
    private static final long SECTION = 0x2000;
    private static final long FUNCTION = 0x1000;

    /** Little-endian bytes with the fields of .eh_frame records. */
    private static final class Bytes {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes u8(int... values) {
            for (int v : values) {
                out.write(v);
            }
            return this;
        }

        Bytes u32(long v) {
            return u8((int) v & 0xFF, (int) (v >> 8) & 0xFF, (int) (v >> 16) & 0xFF, (int) (v >> 24) & 0xFF);
        }

        int size() {
            return out.size();
        }
    }

    /**
     * One CIE ("zR", code 1, data -8, ra 16, pcrel|sdata4; CFA rsp+8, ra at CFA-8) and one FDE for [0x1000, 0x1020):
     * push rbp at +0 (CFA rsp+16, rbp at CFA-16), mov rbp, rsp at +1 (CFA rbp+16) at +4, remember at +4, at +0x0e
     * CFA rsp+8 (a tail), restore at +0x0f.
     */
    private static byte[] ehFrame() {
        Bytes b = new Bytes();
        b.u32(0x14).u32(0).u8(1, 'z', 'R', 0, 1, 0x78, 16, 1, 0x1B, 0x0C, 7, 8, 0x90, 1, 0, 0);
        int fde = b.size();
        b.u32(0x1E).u32(fde + 4);
        long pcField = SECTION + b.size();
        b.u32(FUNCTION - pcField).u32(0x20).u8(0);
        b.u8(0x41, 0x0E, 16, 0x86, 2, 0x43, 0x0D, 6, 0x0A, 0x4A, 0x0C, 7, 8, 0x41, 0x0B, 0, 0);
        b.u32(0);
        return b.out.toByteArray();
    }

    private static UnwindRow rowAt(long pc) {
        EhFrameTable table = EhFrameTable.parse(ehFrame(), SECTION);
        return CfaInterpreter.rowAt(table.section(), table.find(pc).orElseThrow(), pc);
    }

    @Test
    void rowsFollowTheProgram() {
        assertEquals(new CfaRule.RegisterOffset(7, 8), rowAt(0x1000).cfa());
        assertEquals(new RegisterRule.Offset(-8), rowAt(0x1000).rules()[16]);
        assertEquals(null, rowAt(0x1000).rules()[6]);
        assertEquals(new CfaRule.RegisterOffset(7, 16), rowAt(0x1001).cfa());
        assertEquals(new RegisterRule.Offset(-16), rowAt(0x1003).rules()[6]);
        assertEquals(new CfaRule.RegisterOffset(6, 16), rowAt(0x1004).cfa());
        assertEquals(new CfaRule.RegisterOffset(6, 16), rowAt(0x100D).cfa());
        assertEquals(new CfaRule.RegisterOffset(7, 8), rowAt(0x100E).cfa());
        assertEquals(new CfaRule.RegisterOffset(6, 16), rowAt(0x100F).cfa(), "restore_state brings back the remembered row");
        assertEquals(new CfaRule.RegisterOffset(6, 16), rowAt(0x101F).cfa());
    }

    @Test
    void tableLookup() {
        EhFrameTable table = EhFrameTable.parse(ehFrame(), SECTION);
        assertEquals(1, table.size());
        assertEquals(Optional.empty(), table.find(0xFFF));
        assertEquals(Optional.empty(), table.find(0x1020));
        assertEquals(0x1000, table.find(0x101F).orElseThrow().begin());
        assertEquals(0, EhFrameTable.parse(new byte[] {1, 2, 3}, 0).size(), "a truncated section has no entries");
        byte[] damaged = ehFrame();
        damaged[8] = 9; // CIE version 9
        assertEquals(0, EhFrameTable.parse(damaged, SECTION).size(), "an FDE whose CIE cannot be read is skipped");
    }

    @Test
    void leb128AndPointers() {
        DwarfReader r = new DwarfReader(new byte[] {(byte) 0xE5, (byte) 0x8E, 0x26, 0x7F, (byte) 0x80, 0x7F, 2}, 0x100, 0, 7);
        assertEquals(624485, r.uleb128());
        assertEquals(-1, r.sleb128());
        assertEquals(-128, r.sleb128());
        assertEquals(0x100 + 6 + 2, new DwarfReader(new byte[] {0, 0, 0, 0, 0, 0, 2, 0, 0, 0}, 0x100, 6, 10).encodedPointer(0x1B, 0));
        assertEquals(0x500 + 2, new DwarfReader(new byte[] {2, 0}, 0, 0, 2).encodedPointer(0x3A, 0x500), "datarel sdata2");
        assertThrows(MalformedDwarfException.class, () -> new DwarfReader(new byte[] {1}, 0, 0, 1).u32());
        assertThrows(MalformedDwarfException.class, () -> new DwarfReader(new byte[] {1, 0}, 0, 0, 2).encodedPointer(0x22, 0));
    }

    /** glibc's PLT CFA: rsp + 8 + ((rip & 15) >= 11 ? 8 : 0), i.e. breg7 8; breg16 0; lit15; and; lit11; ge; lit3; shl; plus. */
    @Test
    void pltExpression() {
        byte[] e = {0x77, 8, (byte) 0x80, 0, 0x3F, 0x1A, 0x3B, 0x2A, 0x33, 0x24, 0x22};
        Registers regs = Registers.of(Amd64Context.zero().withRsp(0x7000).withRip(0x4020));
        assertEquals(OptionalLong.of(0x7008), DwarfExpression.evaluate(e, 0, e.length, OptionalLong.empty(), ExpressionFrame.ofRegisters(regs, (a, b, o, l) -> 0)));
        regs = Registers.of(Amd64Context.zero().withRsp(0x7000).withRip(0x402B));
        assertEquals(OptionalLong.of(0x7010), DwarfExpression.evaluate(e, 0, e.length, OptionalLong.empty(), ExpressionFrame.ofRegisters(regs, (a, b, o, l) -> 0)));
        byte[] deref = {0x77, 0, 0x06};
        MemoryReader memory = (a, b, o, l) -> {
            ByteBuffer.wrap(b, o, l).order(ByteOrder.LITTLE_ENDIAN).putLong(o, a == 0x7000 ? 0x1234 : 0);
            return l;
        };
        assertEquals(OptionalLong.of(0x1234), DwarfExpression.evaluate(deref, 0, 3, OptionalLong.empty(), ExpressionFrame.ofRegisters(regs, memory)));
        byte[] unknownOp = {(byte) 0xE0};
        assertEquals(OptionalLong.empty(), DwarfExpression.evaluate(unknownOp, 0, 1, OptionalLong.empty(), ExpressionFrame.ofRegisters(regs, memory)));
        byte[] underflow = {0x22};
        assertEquals(OptionalLong.empty(), DwarfExpression.evaluate(underflow, 0, 1, OptionalLong.empty(), ExpressionFrame.ofRegisters(regs, memory)));
        byte[] loop = {0x2F, (byte) 0xFD, (byte) 0xFF};
        assertEquals(OptionalLong.empty(), DwarfExpression.evaluate(loop, 0, 3, OptionalLong.empty(), ExpressionFrame.ofRegisters(regs, memory)), "a branch loop ends");
    }

    @Test
    void framePointerStep() {
        // rbp = 0x7100: [0x7100] = saved rbp 0x7200, [0x7108] = return address 0x401234
        MemoryReader memory = (a, b, o, l) -> {
            long v = a == 0x7100 ? 0x7200 : a == 0x7108 ? 0x401234 : 0;
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(o, v);
            return 8;
        };
        Registers frame = Registers.of(Amd64Context.zero().with(Amd64Register.RBP, 0x7100).withRsp(0x70F0).withRip(0x401000));
        Step.Caller c = assertInstanceOf(Step.Caller.class, new FramePointerStep(memory).unwind(frame));
        assertEquals(0x401234, c.caller().pc());
        assertEquals(0x7110, c.caller().sp());
        assertEquals(0x7200, c.caller().get(Registers.RBP));
        assertEquals(StackFrame.Method.FRAME_POINTER, c.method());
        assertEquals(0x7110, c.argumentsAt());

        Registers below = Registers.of(Amd64Context.zero().with(Amd64Register.RBP, 0x6000).withRsp(0x70F0));
        assertInstanceOf(Step.Unknown.class, new FramePointerStep(memory).unwind(below), "rbp below rsp is no frame pointer");
    }

    @Test
    void libcEhFrameParses() {
        ElfModule libc = ElfModules.shared().get("/lib/x86_64-linux-gnu/libc.so.6").orElseThrow();
        ElfModule.Section s = libc.ehFrame().orElseThrow();
        EhFrameTable table = EhFrameTable.parse(s.data(), s.address());
        assertTrue(table.size() > 1000, "FDEs: " + table.size());
        long puts = libc.symbols().stream().filter(e -> e.name().equals("puts")).findFirst().orElseThrow().value();
        FrameDescriptionEntry fde = table.find(puts).orElseThrow();
        assertEquals(new CfaRule.RegisterOffset(7, 8), CfaInterpreter.rowAt(table.section(), fde, fde.begin()).cfa(),
                "at a function's entry the CFA is rsp+8");
    }
}
