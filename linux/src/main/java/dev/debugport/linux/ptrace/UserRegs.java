package dev.debugport.linux.ptrace;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.MemoryLayout;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct user_regs_struct} of x86-64 Linux ({@code PTRACE_GETREGS}/{@code PTRACE_SETREGS}): 27 unsigned
 * 64-bit fields, 216 bytes, in this order (byte offsets): r15 @0, r14 @8, r13 @16, r12 @24, rbp @32, rbx @40, r11 @48,
 * r10 @56, r9 @64, r8 @72, rax @80, rcx @88, rdx @96, rsi @104, rdi @112, orig_rax @120, rip @128, cs @136,
 * eflags @144, rsp @152, ss @160, fs_base @168, gs_base @176, ds @184, es @192, fs @200, gs @208.
 *
 * <p>{@code orig_rax} is the system call number at a syscall stop (-1 otherwise; set it to -1 to cancel a restart).
 */
public record UserRegs(
        long r15,
        long r14,
        long r13,
        long r12,
        long rbp,
        long rbx,
        long r11,
        long r10,
        long r9,
        long r8,
        long rax,
        long rcx,
        long rdx,
        long rsi,
        long rdi,
        long origRax,
        long rip,
        long cs,
        long eflags,
        long rsp,
        long ss,
        long fsBase,
        long gsBase,
        long ds,
        long es,
        long fs,
        long gs) {

    /** The registers by name, with their byte offsets in {@code user_regs_struct}. */
    public enum Reg {
        R15(0, "r15"),
        R14(8, "r14"),
        R13(16, "r13"),
        R12(24, "r12"),
        RBP(32, "rbp"),
        RBX(40, "rbx"),
        R11(48, "r11"),
        R10(56, "r10"),
        R9(64, "r9"),
        R8(72, "r8"),
        RAX(80, "rax"),
        RCX(88, "rcx"),
        RDX(96, "rdx"),
        RSI(104, "rsi"),
        RDI(112, "rdi"),
        ORIG_RAX(120, "orig_rax"),
        RIP(128, "rip"),
        CS(136, "cs"),
        EFLAGS(144, "eflags"),
        RSP(152, "rsp"),
        SS(160, "ss"),
        FS_BASE(168, "fs_base"),
        GS_BASE(176, "gs_base"),
        DS(184, "ds"),
        ES(192, "es"),
        FS(200, "fs"),
        GS(208, "gs");

        private final long offset;
        private final String cName;

        Reg(long offset, String cName) {
            this.offset = offset;
            this.cName = cName;
        }

        /** Byte offset in {@code user_regs_struct} (also the PEEKUSER offset: {@code struct user} starts with it). */
        public long offset() {
            return offset;
        }

        /** The C field name ("orig_rax"). */
        public String cName() {
            return cName;
        }
    }

    /** The layout, with every field named as in C. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("r15"),
            JAVA_LONG.withName("r14"),
            JAVA_LONG.withName("r13"),
            JAVA_LONG.withName("r12"),
            JAVA_LONG.withName("rbp"),
            JAVA_LONG.withName("rbx"),
            JAVA_LONG.withName("r11"),
            JAVA_LONG.withName("r10"),
            JAVA_LONG.withName("r9"),
            JAVA_LONG.withName("r8"),
            JAVA_LONG.withName("rax"),
            JAVA_LONG.withName("rcx"),
            JAVA_LONG.withName("rdx"),
            JAVA_LONG.withName("rsi"),
            JAVA_LONG.withName("rdi"),
            JAVA_LONG.withName("orig_rax"),
            JAVA_LONG.withName("rip"),
            JAVA_LONG.withName("cs"),
            JAVA_LONG.withName("eflags"),
            JAVA_LONG.withName("rsp"),
            JAVA_LONG.withName("ss"),
            JAVA_LONG.withName("fs_base"),
            JAVA_LONG.withName("gs_base"),
            JAVA_LONG.withName("ds"),
            JAVA_LONG.withName("es"),
            JAVA_LONG.withName("fs"),
            JAVA_LONG.withName("gs"));

    /** {@code sizeof(struct user_regs_struct)}. */
    public static final long SIZE = 216;

    /** The trap flag (TF) in eflags. */
    public static final long EFLAGS_TF = 0x100;

    /** Reads the 216 bytes at the start of {@code s}. */
    public static UserRegs read(MemorySegment s) {
        return new UserRegs(
                s.get(JAVA_LONG, 0),
                s.get(JAVA_LONG, 8),
                s.get(JAVA_LONG, 16),
                s.get(JAVA_LONG, 24),
                s.get(JAVA_LONG, 32),
                s.get(JAVA_LONG, 40),
                s.get(JAVA_LONG, 48),
                s.get(JAVA_LONG, 56),
                s.get(JAVA_LONG, 64),
                s.get(JAVA_LONG, 72),
                s.get(JAVA_LONG, 80),
                s.get(JAVA_LONG, 88),
                s.get(JAVA_LONG, 96),
                s.get(JAVA_LONG, 104),
                s.get(JAVA_LONG, 112),
                s.get(JAVA_LONG, 120),
                s.get(JAVA_LONG, 128),
                s.get(JAVA_LONG, 136),
                s.get(JAVA_LONG, 144),
                s.get(JAVA_LONG, 152),
                s.get(JAVA_LONG, 160),
                s.get(JAVA_LONG, 168),
                s.get(JAVA_LONG, 176),
                s.get(JAVA_LONG, 184),
                s.get(JAVA_LONG, 192),
                s.get(JAVA_LONG, 200),
                s.get(JAVA_LONG, 208));
    }

    /** Writes these registers into the first 216 bytes of {@code s}. */
    public void write(MemorySegment s) {
        s.set(JAVA_LONG, 0, r15);
        s.set(JAVA_LONG, 8, r14);
        s.set(JAVA_LONG, 16, r13);
        s.set(JAVA_LONG, 24, r12);
        s.set(JAVA_LONG, 32, rbp);
        s.set(JAVA_LONG, 40, rbx);
        s.set(JAVA_LONG, 48, r11);
        s.set(JAVA_LONG, 56, r10);
        s.set(JAVA_LONG, 64, r9);
        s.set(JAVA_LONG, 72, r8);
        s.set(JAVA_LONG, 80, rax);
        s.set(JAVA_LONG, 88, rcx);
        s.set(JAVA_LONG, 96, rdx);
        s.set(JAVA_LONG, 104, rsi);
        s.set(JAVA_LONG, 112, rdi);
        s.set(JAVA_LONG, 120, origRax);
        s.set(JAVA_LONG, 128, rip);
        s.set(JAVA_LONG, 136, cs);
        s.set(JAVA_LONG, 144, eflags);
        s.set(JAVA_LONG, 152, rsp);
        s.set(JAVA_LONG, 160, ss);
        s.set(JAVA_LONG, 168, fsBase);
        s.set(JAVA_LONG, 176, gsBase);
        s.set(JAVA_LONG, 184, ds);
        s.set(JAVA_LONG, 192, es);
        s.set(JAVA_LONG, 200, fs);
        s.set(JAVA_LONG, 208, gs);
    }

    /** The value of one register. */
    public long get(Reg reg) {
        return switch (reg) {
            case R15 -> r15;
            case R14 -> r14;
            case R13 -> r13;
            case R12 -> r12;
            case RBP -> rbp;
            case RBX -> rbx;
            case R11 -> r11;
            case R10 -> r10;
            case R9 -> r9;
            case R8 -> r8;
            case RAX -> rax;
            case RCX -> rcx;
            case RDX -> rdx;
            case RSI -> rsi;
            case RDI -> rdi;
            case ORIG_RAX -> origRax;
            case RIP -> rip;
            case CS -> cs;
            case EFLAGS -> eflags;
            case RSP -> rsp;
            case SS -> ss;
            case FS_BASE -> fsBase;
            case GS_BASE -> gsBase;
            case DS -> ds;
            case ES -> es;
            case FS -> fs;
            case GS -> gs;
        };
    }

    /** A copy with one register changed (this one when it already has that value). */
    public UserRegs with(Reg reg, long value) {
        if (get(reg) == value) {
            // SetThreadContext passes every register of a CONTEXT through here, and at a single step all but EFLAGS
            // are unchanged: no copy for those.
            return this;
        }
        long[] v = toArray();
        v[reg.ordinal()] = value;
        return fromArray(v);
    }

    public UserRegs withRip(long value) {
        return with(Reg.RIP, value);
    }

    public UserRegs withRax(long value) {
        return with(Reg.RAX, value);
    }

    public UserRegs withRsp(long value) {
        return with(Reg.RSP, value);
    }

    public UserRegs withEflags(long value) {
        return with(Reg.EFLAGS, value);
    }

    /** The 27 values in {@link Reg} order. */
    public long[] toArray() {
        return new long[] {r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi, origRax, rip, cs, eflags, rsp, ss, fsBase, gsBase, ds, es, fs, gs};
    }

    /** From 27 values in {@link Reg} order. */
    public static UserRegs fromArray(long[] v) {
        if (v.length != 27) {
            throw new IllegalArgumentException("need 27 values, got " + v.length);
        }
        return new UserRegs(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17], v[18], v[19], v[20], v[21], v[22], v[23], v[24], v[25], v[26]);
    }
}
