package dev.debugport.nt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class Amd64ContextTest {

    @Test
    void zeroHasUserModeSelectorsAndInitialFlags() {
        Amd64Context c = Amd64Context.zero();
        assertEquals(Amd64Context.CONTEXT_ALL, c.contextFlags());
        assertEquals(0x202, c.eflags());
        assertEquals(0x33, c.get(Amd64Register.CS));
        assertEquals(0x2B, c.get(Amd64Register.SS));
        assertEquals(0x2B, c.get(Amd64Register.DS));
        assertEquals(0x2B, c.get(Amd64Register.ES));
        assertEquals(0x2B, c.get(Amd64Register.GS));
        assertEquals(0x53, c.get(Amd64Register.FS));
        assertEquals(0, c.rip());
        assertEquals(0, c.get(Amd64Register.R15));
        assertFalse(c.trapFlag());
    }

    @Test
    void withReturnsNewContextAndLeavesOriginal() {
        Amd64Context zero = Amd64Context.zero();
        Amd64Context c = zero.with(Amd64Register.RAX, 0x1122334455667788L).withRip(0x7ff600001000L);
        assertEquals(0x1122334455667788L, c.get(Amd64Register.RAX));
        assertEquals(0x7ff600001000L, c.rip());
        assertEquals(0, zero.get(Amd64Register.RAX));
        assertEquals(0, zero.rip());
        assertNotEquals(zero, c);
    }

    @Test
    void segmentsAndEflagsAreStoredAtTheirContextWidth() {
        Amd64Context c = Amd64Context.zero()
                .with(Amd64Register.CS, 0x12345)
                .with(Amd64Register.EFLAGS, 0xFFFF_FFFF_0000_0246L);
        assertEquals(0x2345, c.get(Amd64Register.CS));
        assertEquals(0x246, c.eflags());
    }

    @Test
    void trapFlagSetAndClear() {
        Amd64Context on = Amd64Context.zero().withTrapFlag(true);
        assertTrue(on.trapFlag());
        assertEquals(0x302, on.eflags());
        Amd64Context off = on.withTrapFlag(false);
        assertFalse(off.trapFlag());
        assertEquals(0x202, off.eflags());
        assertEquals(Amd64Context.zero(), off);
    }

    @Test
    void resumeFlagSetAndClear() {
        Amd64Context on = Amd64Context.zero().withTrapFlag(true).withResumeFlag(true);
        assertTrue(on.resumeFlag());
        assertEquals(0x10302, on.eflags());
        Amd64Context off = on.withResumeFlag(false);
        assertFalse(off.resumeFlag());
        assertTrue(off.trapFlag(), "TF is left alone");
        assertEquals(0x302, off.eflags());
    }

    @Test
    void equalityCoversFlagsAndRegisters() {
        Amd64Context a = Amd64Context.zero().withRsp(0x1000);
        Amd64Context b = Amd64Context.zero().with(Amd64Register.RSP, 0x1000);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, a.withContextFlags(Amd64Context.CONTEXT_FULL));
        assertEquals(Amd64Context.CONTEXT_FULL, a.withContextFlags(Amd64Context.CONTEXT_FULL).contextFlags());
    }

    @Test
    void toStringUsesCdbRegisterLayout() {
        Amd64Context c = Amd64Context.zero()
                .with(Amd64Register.RAX, 1)
                .with(Amd64Register.R8, 0xabc)
                .withRip(0x00007ffb0f8e0000L)
                .with(Amd64Register.EFLAGS, 0x246);
        String[] lines = c.toString().split("\n");
        assertEquals(8, lines.length);
        assertEquals("rax=0000000000000001 rbx=0000000000000000 rcx=0000000000000000", lines[0]);
        assertEquals("rdx=0000000000000000 rsi=0000000000000000 rdi=0000000000000000", lines[1]);
        assertEquals("rip=00007ffb0f8e0000 rsp=0000000000000000 rbp=0000000000000000", lines[2]);
        assertEquals(" r8=0000000000000abc  r9=0000000000000000 r10=0000000000000000", lines[3]);
        assertEquals("r14=0000000000000000 r15=0000000000000000", lines[5]);
        assertEquals("iopl=0         nv up ei pl zr na pe nc", lines[6]);
        assertTrue(lines[7].startsWith("cs=0033  ss=002b  ds=002b  es=002b  fs=0053  gs=002b"));
        assertTrue(lines[7].endsWith("efl=00000246"));
    }

    @Test
    void toStringSpellsEverySetFlagAndFullWidthValues() {
        Amd64Context c = Amd64Context.zero()
                .with(Amd64Register.RAX, -1)
                .with(Amd64Register.R15, 0x8000000000000000L)
                .with(Amd64Register.EFLAGS, 0x3ed7) // IOPL 3, OF DF IF SF ZF AF PF CF
                .with(Amd64Register.FS, 0xffff);
        String[] lines = c.toString().split("\n");
        assertEquals("rax=ffffffffffffffff rbx=0000000000000000 rcx=0000000000000000", lines[0]);
        assertEquals("r14=0000000000000000 r15=8000000000000000", lines[5]);
        assertEquals("iopl=3         ov dn ei ng zr ac pe cy", lines[6]);
        assertEquals("cs=0033  ss=002b  ds=002b  es=002b  fs=ffff  gs=002b             efl=00003ed7", lines[7]);
    }

    @Test
    void registerNames() {
        assertEquals("rax", Amd64Register.RAX.lowerName());
        assertEquals("efl", Amd64Register.EFLAGS.lowerName());
        assertEquals("r10", Amd64Register.R10.lowerName());
        assertEquals(Optional.of(Amd64Register.RAX), Amd64Register.byName("rax"));
        assertEquals(Optional.of(Amd64Register.RAX), Amd64Register.byName("RAX"));
        assertEquals(Optional.of(Amd64Register.EFLAGS), Amd64Register.byName("efl"));
        assertEquals(Optional.of(Amd64Register.EFLAGS), Amd64Register.byName("EFlags"));
        assertEquals(Optional.of(Amd64Register.DR7), Amd64Register.byName("dr7"));
        assertEquals(Optional.empty(), Amd64Register.byName("eax"));
        assertEquals(Optional.empty(), Amd64Register.byName(null));
    }
}
