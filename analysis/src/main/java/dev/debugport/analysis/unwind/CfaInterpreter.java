package dev.debugport.analysis.unwind;

import dev.debugport.analysis.dwarf.DwarfReader;
import dev.debugport.analysis.dwarf.MalformedDwarfException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Runs the call-frame instructions of a CIE and an FDE up to a pc and returns the row of the unwind table in force
 * there (DWARF 4 section 6.4.2, the DW_CFA_* instructions gcc, clang and glibc's assembly emit). Columns above 16
 * (vector registers) are parsed and dropped: a stack walk needs only the integer registers and the return address.
 */
final class CfaInterpreter {
    /** The DWARF columns tracked: rax..r15 (0..15) and the return address (16). */
    static final int COLUMNS = 17;

    /** A row saved by DW_CFA_remember_state. */
    private record State(CfaRule cfa, RegisterRule[] rules) {
    }

    private final byte[] section;
    private final CommonInformationEntry cie;
    private CfaRule cfa = new CfaRule.RegisterOffset(Registers.RSP, 0);
    private RegisterRule[] rules = new RegisterRule[COLUMNS];
    private RegisterRule[] initial;
    private final Deque<State> remembered = new ArrayDeque<>();
    private long location;

    private CfaInterpreter(byte[] section, FrameDescriptionEntry fde) {
        this.section = section;
        this.cie = fde.cie();
        this.location = fde.begin();
    }

    /** The row for link-time address {@code pc} inside {@code fde}. */
    static UnwindRow rowAt(byte[] section, FrameDescriptionEntry fde, long pc) {
        CfaInterpreter interpreter = new CfaInterpreter(section, fde);
        interpreter.run(fde.cie().instructionsStart(), fde.cie().instructionsEnd(), Long.MAX_VALUE);
        interpreter.initial = interpreter.rules.clone();
        interpreter.run(fde.instructionsStart(), fde.instructionsEnd(), pc);
        return new UnwindRow(interpreter.cfa, interpreter.rules);
    }

    private void run(int from, int to, long pc) {
        DwarfReader r = new DwarfReader(section, 0, from, to);
        while (!r.atEnd()) {
            int op = r.u8();
            int operand = op & 0x3F;
            switch (op >>> 6) {
                case 1 -> { // DW_CFA_advance_loc
                    if (!advance(operand * cie.codeAlignment(), pc)) {
                        return;
                    }
                }
                case 2 -> set(operand, new RegisterRule.Offset((long) r.uleb128() * cie.dataAlignment()));
                case 3 -> restore(operand);
                default -> {
                    if (!extended(op, r, pc)) {
                        return;
                    }
                }
            }
        }
    }

    /** The instructions without an operand in the opcode byte; false when the location moved past {@code pc}. */
    private boolean extended(int op, DwarfReader r, long pc) {
        switch (op) {
            case 0x00 -> { } // DW_CFA_nop
            case 0x01 -> { // DW_CFA_set_loc
                long to = r.encodedPointer(cie.pointerEncoding(), 0);
                if (to > pc) {
                    return false;
                }
                location = to;
            }
            case 0x02 -> { return advance(r.u8() * cie.codeAlignment(), pc); }
            case 0x03 -> { return advance(r.u16() * cie.codeAlignment(), pc); }
            case 0x04 -> { return advance(r.u32() * cie.codeAlignment(), pc); }
            case 0x05 -> set(reg(r), new RegisterRule.Offset(r.uleb128() * cie.dataAlignment()));
            case 0x06 -> restore(reg(r));
            case 0x07 -> set(reg(r), new RegisterRule.Undefined());
            case 0x08 -> set(reg(r), new RegisterRule.SameValue());
            case 0x09 -> set(reg(r), new RegisterRule.InRegister(reg(r)));
            case 0x0A -> remembered.push(new State(cfa, rules.clone())); // DW_CFA_remember_state
            case 0x0B -> { // DW_CFA_restore_state
                if (remembered.isEmpty()) {
                    throw new MalformedDwarfException("DW_CFA_restore_state without a remembered state");
                }
                State state = remembered.pop();
                cfa = state.cfa();
                rules = state.rules();
            }
            case 0x0C -> cfa = new CfaRule.RegisterOffset(reg(r), r.uleb128());
            case 0x0D -> cfa = new CfaRule.RegisterOffset(reg(r), cfaOffset());
            case 0x0E -> cfa = new CfaRule.RegisterOffset(cfaRegister(), r.uleb128());
            case 0x0F -> { // DW_CFA_def_cfa_expression
                long length = r.uleb128();
                int start = r.skip(length);
                cfa = new CfaRule.Expression(start, start + (int) length);
            }
            case 0x10, 0x16 -> { // DW_CFA_expression, DW_CFA_val_expression
                int register = reg(r);
                long length = r.uleb128();
                int start = r.skip(length);
                set(register, op == 0x10 ? new RegisterRule.AtExpression(start, start + (int) length)
                        : new RegisterRule.IsExpression(start, start + (int) length));
            }
            case 0x11 -> set(reg(r), new RegisterRule.Offset(r.sleb128() * cie.dataAlignment()));
            case 0x12 -> cfa = new CfaRule.RegisterOffset(reg(r), r.sleb128() * cie.dataAlignment());
            case 0x13 -> cfa = new CfaRule.RegisterOffset(cfaRegister(), r.sleb128() * cie.dataAlignment());
            case 0x14 -> set(reg(r), new RegisterRule.ValOffset(r.uleb128() * cie.dataAlignment()));
            case 0x15 -> set(reg(r), new RegisterRule.ValOffset(r.sleb128() * cie.dataAlignment()));
            case 0x2E -> r.uleb128(); // DW_CFA_GNU_args_size: only matters to exception unwinding
            case 0x2F -> set(reg(r), new RegisterRule.Offset(-r.uleb128() * cie.dataAlignment()));
            default -> throw new MalformedDwarfException("DW_CFA opcode 0x" + Integer.toHexString(op));
        }
        return true;
    }

    private boolean advance(long delta, long pc) {
        if (location + delta > pc) {
            return false;
        }
        location += delta;
        return true;
    }

    private static int reg(DwarfReader r) {
        long register = r.uleb128();
        return register > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) register;
    }

    private void set(int register, RegisterRule rule) {
        if (register < COLUMNS) {
            rules[register] = rule;
        }
    }

    /** DW_CFA_restore: back to the rule the CIE's initial instructions gave. */
    private void restore(int register) {
        if (register < COLUMNS) {
            rules[register] = initial == null ? null : initial[register];
        }
    }

    private long cfaOffset() {
        if (cfa instanceof CfaRule.RegisterOffset(int ignored, long offset)) {
            return offset;
        }
        throw new MalformedDwarfException("CFA offset changed while the CFA is an expression");
    }

    private int cfaRegister() {
        if (cfa instanceof CfaRule.RegisterOffset(int register, long ignored)) {
            return register;
        }
        throw new MalformedDwarfException("CFA offset changed while the CFA is an expression");
    }
}
