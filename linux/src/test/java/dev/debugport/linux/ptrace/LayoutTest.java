package dev.debugport.linux.ptrace;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The native layouts against the offsets gcc gives on this machine. */
class LayoutTest {
    @Test
    void userRegsStruct() {
        assertEquals(216, UserRegs.LAYOUT.byteSize());
        assertEquals(UserRegs.SIZE, UserRegs.LAYOUT.byteSize());
        assertEquals(27, UserRegs.Reg.values().length);
        long[][] expected = {{120, 0}, {128, 0}, {144, 0}, {152, 0}, {168, 0}, {208, 0}};
        String[] names = {"orig_rax", "rip", "eflags", "rsp", "fs_base", "gs"};
        for (int i = 0; i < names.length; i++) {
            assertEquals(expected[i][0],
                    UserRegs.LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(names[i])), names[i]);
        }
        for (UserRegs.Reg r : UserRegs.Reg.values()) {
            assertEquals(r.offset(), UserRegs.LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(r.cName())));
            assertEquals(8L * r.ordinal(), r.offset());
        }
    }

    @Test
    void userRegsReadWriteRoundTrip() {
        long[] values = new long[27];
        for (int i = 0; i < values.length; i++) {
            values[i] = 0x0101010101010101L * (i + 1);
        }
        UserRegs regs = UserRegs.fromArray(values);
        assertEquals(values[16], regs.rip());
        assertEquals(values[15], regs.origRax());
        assertEquals(values[26], regs.gs());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(UserRegs.LAYOUT);
            regs.write(s);
            assertEquals(regs.rip(), s.get(JAVA_LONG, 128));
            assertEquals(regs, UserRegs.read(s));
        }
        assertArrayEquals(values, regs.toArray());
        UserRegs moved = regs.withRip(0x1234).with(UserRegs.Reg.R8, 7);
        assertEquals(0x1234, moved.get(UserRegs.Reg.RIP));
        assertEquals(7, moved.r8());
        assertEquals(regs.rax(), moved.rax());
    }

    @Test
    void debugRegisterOffsets() {
        assertEquals(848, PtraceConstants.debugRegOffset(0));
        assertEquals(848 + 8 * 6, PtraceConstants.debugRegOffset(6));
        assertEquals(848 + 8 * 7, PtraceConstants.debugRegOffset(7));
    }

    @Test
    void sigInfoDecoding() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(SigInfo.SIZE);
            s.set(JAVA_INT, 0, Signals.SIGSEGV);
            s.set(JAVA_INT, 4, 0);
            s.set(JAVA_INT, 8, Signals.SEGV_MAPERR);
            s.set(JAVA_LONG, 16, 0xdead0000L);
            SigInfo info = SigInfo.decode(s);
            assertEquals(Signals.SIGSEGV, info.signo());
            assertEquals(Signals.SEGV_MAPERR, info.code());
            assertEquals(0xdead0000L, info.addr());
            assertEquals(0xdead0000L & 0xffffffffL, info.pid() & 0xffffffffL);
            assertEquals(128, info.raw().length);
            assertEquals(info, SigInfo.decode(s));
        }
    }

    @Test
    void errnoNamesAndMessages() {
        assertEquals("ESRCH", Errno.ESRCH.name());
        assertEquals("No such process", Errno.ESRCH.message());
        assertEquals("errno 200", Errno.of(200).name());
        SysResult<Integer> e = SysResult.err(Errno.EFAULT, "read");
        assertEquals("read: EFAULT (Bad address)", ((SysResult.Err<Integer>) e).message());
        assertEquals(3, SysResult.ok(1).map(x -> x + 2).orElseThrow());
        assertEquals(Errno.EFAULT, e.map(x -> x + 1).errnoOrNull());
    }
}
