package dev.debugport.nt;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An AMD64 {@code CONTEXT} record (the part debugport models): {@code ContextFlags}, the integer
 * registers, Rip, EFlags, the segment selectors and the debug registers. Immutable: every
 * {@code with...} method returns a new context.
 *
 * <p>Values are stored at the width the CONTEXT field has: segment selectors are masked to 16 bits and
 * EFlags to 32 bits; the other registers are 64 bits.
 */
public final class Amd64Context {

    /** CONTEXT_AMD64: the architecture bit of ContextFlags. */
    public static final int CONTEXT_AMD64 = 0x00100000;
    /** CONTEXT_CONTROL: SegSs, Rsp, SegCs, Rip, EFlags. */
    public static final int CONTEXT_CONTROL = 0x00100001;
    /** CONTEXT_INTEGER: Rax .. R15 except Rsp. */
    public static final int CONTEXT_INTEGER = 0x00100002;
    /** CONTEXT_SEGMENTS: SegDs, SegEs, SegFs, SegGs. */
    public static final int CONTEXT_SEGMENTS = 0x00100004;
    /** CONTEXT_FLOATING_POINT: the XMM / legacy FP state. */
    public static final int CONTEXT_FLOATING_POINT = 0x00100008;
    /** CONTEXT_DEBUG_REGISTERS: Dr0-Dr3, Dr6, Dr7. */
    public static final int CONTEXT_DEBUG_REGISTERS = 0x00100010;
    /** CONTEXT_FULL = CONTROL | INTEGER | FLOATING_POINT. */
    public static final int CONTEXT_FULL = 0x0010000B;
    /** CONTEXT_ALL = FULL | SEGMENTS | DEBUG_REGISTERS. */
    public static final int CONTEXT_ALL = 0x0010001F;
    /** EFLAGS.TF: the trap (single-step) flag. */
    public static final int EFLAGS_TRAP_FLAG = 0x100;
    /** EFLAGS.RF: the resume flag, which lets one instruction run past an execute breakpoint on its address. */
    public static final int EFLAGS_RESUME_FLAG = 0x10000;

    /** User-mode 64-bit code selector on Windows x64. */
    public static final int USER_CS = 0x33;
    /** User-mode data / stack selector on Windows x64. */
    public static final int USER_DS = 0x2B;
    /** User-mode FS selector on Windows x64 (the 32-bit TEB selector). */
    public static final int USER_FS = 0x53;
    /** EFlags of a fresh user thread: IF (0x200) and the always-one bit 1. */
    public static final int INITIAL_EFLAGS = 0x202;

    private static final Amd64Register[] REGS = Amd64Register.values();
    private static final Amd64Context ZERO = new Amd64Context(CONTEXT_ALL, new long[REGS.length])
            .with(Amd64Register.EFLAGS, INITIAL_EFLAGS)
            .with(Amd64Register.CS, USER_CS)
            .with(Amd64Register.SS, USER_DS)
            .with(Amd64Register.DS, USER_DS)
            .with(Amd64Register.ES, USER_DS)
            .with(Amd64Register.GS, USER_DS)
            .with(Amd64Register.FS, USER_FS);

    private final int contextFlags;
    private final long[] values;

    private Amd64Context(int contextFlags, long[] values) {
        this.contextFlags = contextFlags;
        this.values = values;
    }

    /**
     * @return a context with ContextFlags CONTEXT_ALL, all general and debug registers zero, EFlags 0x202
     *         and the Windows x64 user-mode selectors (CS 0x33, SS/DS/ES/GS 0x2B, FS 0x53)
     */
    public static Amd64Context zero() {
        return ZERO;
    }

    /** @return ContextFlags */
    public int contextFlags() {
        return contextFlags;
    }

    /**
     * @param flags the new ContextFlags
     * @return a copy with ContextFlags replaced
     */
    public Amd64Context withContextFlags(int flags) {
        return new Amd64Context(flags, values);
    }

    /**
     * @param register a register
     * @return its value (zero-extended for segments and EFlags)
     */
    public long get(Amd64Register register) {
        return values[register.ordinal()];
    }

    /**
     * @param register a register
     * @param value    its new value; truncated to 16 bits for segments, 32 bits for EFlags
     * @return a copy with the register replaced
     */
    public Amd64Context with(Amd64Register register, long value) {
        long stored = value;
        if (register.isSegment()) {
            stored &= 0xFFFFL;
        } else if (register == Amd64Register.EFLAGS) {
            stored &= 0xFFFF_FFFFL;
        }
        long[] copy = values.clone();
        copy[register.ordinal()] = stored;
        return new Amd64Context(contextFlags, copy);
    }

    /** @return Rip */
    public long rip() {
        return get(Amd64Register.RIP);
    }

    /** @return Rsp */
    public long rsp() {
        return get(Amd64Register.RSP);
    }

    /** @return EFlags (zero-extended 32-bit value) */
    public long eflags() {
        return get(Amd64Register.EFLAGS);
    }

    /**
     * @param rip the new Rip
     * @return a copy with Rip replaced
     */
    public Amd64Context withRip(long rip) {
        return with(Amd64Register.RIP, rip);
    }

    /**
     * @param rsp the new Rsp
     * @return a copy with Rsp replaced
     */
    public Amd64Context withRsp(long rsp) {
        return with(Amd64Register.RSP, rsp);
    }

    /** @return true when EFLAGS.TF (0x100) is set */
    public boolean trapFlag() {
        return (eflags() & EFLAGS_TRAP_FLAG) != 0;
    }

    /**
     * @param set whether EFLAGS.TF should be set
     * @return a copy with TF set or cleared
     */
    public Amd64Context withTrapFlag(boolean set) {
        long flags = set ? eflags() | EFLAGS_TRAP_FLAG : eflags() & ~EFLAGS_TRAP_FLAG;
        return with(Amd64Register.EFLAGS, flags);
    }

    /** @return true when EFLAGS.RF (0x10000) is set */
    public boolean resumeFlag() {
        return (eflags() & EFLAGS_RESUME_FLAG) != 0;
    }

    /**
     * @param set whether EFLAGS.RF should be set
     * @return a copy with RF set or cleared
     */
    public Amd64Context withResumeFlag(boolean set) {
        long flags = set ? eflags() | EFLAGS_RESUME_FLAG : eflags() & ~EFLAGS_RESUME_FLAG;
        return with(Amd64Register.EFLAGS, flags);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Amd64Context other
                && contextFlags == other.contextFlags
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * contextFlags + Arrays.hashCode(values);
    }

    /**
     * @return the registers in the layout of cdb's {@code r} command, lines separated by {@code '\n'}, e.g.
     *         <pre>
     * rax=0000000000000000 rbx=0000000000000000 rcx=0000000000000000
     * rdx=0000000000000000 rsi=0000000000000000 rdi=0000000000000000
     * rip=0000000000000000 rsp=0000000000000000 rbp=0000000000000000
     *  r8=0000000000000000  r9=0000000000000000 r10=0000000000000000
     * r11=0000000000000000 r12=0000000000000000 r13=0000000000000000
     * r14=0000000000000000 r15=0000000000000000
     * iopl=0         nv up ei pl nz na po nc
     * cs=0033  ss=002b  ds=002b  es=002b  fs=0053  gs=002b             efl=00000202</pre>
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(512);
        line(sb, Amd64Register.RAX, Amd64Register.RBX, Amd64Register.RCX);
        line(sb, Amd64Register.RDX, Amd64Register.RSI, Amd64Register.RDI);
        line(sb, Amd64Register.RIP, Amd64Register.RSP, Amd64Register.RBP);
        line(sb, Amd64Register.R8, Amd64Register.R9, Amd64Register.R10);
        line(sb, Amd64Register.R11, Amd64Register.R12, Amd64Register.R13);
        line(sb, Amd64Register.R14, Amd64Register.R15);
        long efl = eflags();
        // Written out rather than with String.format: a single step (t) prints this block every time, and the
        // formatter's parsing was most of the debugger's own work per step.
        HexFormat hex = HexFormat.of();
        sb.append("iopl=").append((efl >>> 12) & 3).append("         ");
        appendFlagMnemonics(sb, efl);
        sb.append('\n');
        sb.append("cs=").append(hex.toHexDigits((short) get(Amd64Register.CS)))
                .append("  ss=").append(hex.toHexDigits((short) get(Amd64Register.SS)))
                .append("  ds=").append(hex.toHexDigits((short) get(Amd64Register.DS)))
                .append("  es=").append(hex.toHexDigits((short) get(Amd64Register.ES)))
                .append("  fs=").append(hex.toHexDigits((short) get(Amd64Register.FS)))
                .append("  gs=").append(hex.toHexDigits((short) get(Amd64Register.GS)))
                .append("             efl=").append(hex.toHexDigits((int) efl));
        return sb.toString();
    }

    /** {@code rax=0000000000000000 rbx=...}: each name right-aligned in three columns, the value in 16 hex digits. */
    private void line(StringBuilder sb, Amd64Register... regs) {
        for (int i = 0; i < regs.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            String name = regs[i].lowerName();
            for (int pad = name.length(); pad < 3; pad++) {
                sb.append(' ');
            }
            sb.append(name).append('=').append(HexFormat.of().toHexDigits(get(regs[i])));
        }
        sb.append('\n');
    }

    /** cdb's flag mnemonics of {@code efl}, e.g. {@code "nv up ei pl nz na po nc"} (as in the {@code r} display). */
    public static String flagMnemonics(long efl) {
        StringBuilder sb = new StringBuilder(23);
        appendFlagMnemonics(sb, efl);
        return sb.toString();
    }

    /** cdb's flag mnemonics: OF DF IF SF ZF AF PF CF, each shown as its set or clear spelling. */
    private static void appendFlagMnemonics(StringBuilder sb, long efl) {
        sb.append((efl & 0x800) != 0 ? "ov" : "nv")
                .append((efl & 0x400) != 0 ? " dn" : " up")
                .append((efl & 0x200) != 0 ? " ei" : " di")
                .append((efl & 0x080) != 0 ? " ng" : " pl")
                .append((efl & 0x040) != 0 ? " zr" : " nz")
                .append((efl & 0x010) != 0 ? " ac" : " na")
                .append((efl & 0x004) != 0 ? " pe" : " po")
                .append((efl & 0x001) != 0 ? " cy" : " nc");
    }
}
