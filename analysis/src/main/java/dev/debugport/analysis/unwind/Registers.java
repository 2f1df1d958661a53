package dev.debugport.analysis.unwind;

import dev.debugport.analysis.FrameRegisters;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import java.util.OptionalLong;

/**
 * The integer registers of one frame during a walk, in the DWARF numbering of {@link FrameRegisters}. A register the
 * unwind could not recover is unknown. Mutable, owned by one walk; {@link #snapshot} is what a finished frame keeps.
 */
final class Registers implements FrameRegisters {
    static final int RBP = 6;
    static final int RSP = 7;
    static final int RIP = 16;

    private static final Amd64Register[] CONTEXT_ORDER = {
        Amd64Register.RAX, Amd64Register.RDX, Amd64Register.RCX, Amd64Register.RBX, Amd64Register.RSI, Amd64Register.RDI,
        Amd64Register.RBP, Amd64Register.RSP, Amd64Register.R8, Amd64Register.R9, Amd64Register.R10, Amd64Register.R11,
        Amd64Register.R12, Amd64Register.R13, Amd64Register.R14, Amd64Register.R15, Amd64Register.RIP,
    };
    /** rbx, rbp, r12..r15: the System V callee-saved registers, which keep their value across a call. */
    private static final boolean[] CALLEE_SAVED = {
        false, false, false, true, false, false, true, false, false, false, false, false, true, true, true, true, false,
    };

    private final long[] values = new long[CfaInterpreter.COLUMNS];
    private final boolean[] known = new boolean[CfaInterpreter.COLUMNS];

    /** Every register of {@code context}. */
    static Registers of(Amd64Context context) {
        Registers r = new Registers();
        for (int i = 0; i < CONTEXT_ORDER.length; i++) {
            r.set(i, context.get(CONTEXT_ORDER[i]));
        }
        return r;
    }

    /** The caller's registers before its own rules are applied: the callee-saved ones as they are, the rest unknown. */
    Registers callerDefaults() {
        Registers r = new Registers();
        for (int i = 0; i < CALLEE_SAVED.length; i++) {
            if (CALLEE_SAVED[i] && known[i]) {
                r.set(i, values[i]);
            }
        }
        return r;
    }

    /** A copy for a {@link dev.debugport.analysis.StackFrame}: nothing else holds it, so it never changes. */
    Registers snapshot() {
        Registers r = new Registers();
        System.arraycopy(values, 0, r.values, 0, values.length);
        System.arraycopy(known, 0, r.known, 0, known.length);
        return r;
    }

    @Override
    public OptionalLong value(int register) {
        return known(register) ? OptionalLong.of(values[register]) : OptionalLong.empty();
    }

    void set(int register, long value) {
        values[register] = value;
        known[register] = true;
    }

    void forget(int register) {
        known[register] = false;
    }

    boolean known(int register) {
        return register >= 0 && register < CfaInterpreter.COLUMNS && known[register];
    }

    /** The register's value; callers check {@link #known} first. */
    long get(int register) {
        return values[register];
    }

    long pc() {
        return values[RIP];
    }

    long sp() {
        return values[RSP];
    }
}
