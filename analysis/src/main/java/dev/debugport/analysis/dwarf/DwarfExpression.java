package dev.debugport.analysis.dwarf;

import dev.debugport.analysis.MemoryWords;
import java.util.OptionalLong;

/**
 * Evaluates DWARF expressions (DWARF 5 section 2.5): the stack operations, constants, arithmetic and comparisons,
 * register-relative values (DW_OP_breg*, DW_OP_fbreg, DW_OP_call_frame_cfa), memory reads (DW_OP_deref) and
 * branches. Two users: the CFA rules of .eh_frame (glibc's and gcc's CFI use them for PLT entries, {@code rsp + 8 +
 * ((rip & 15) >= 11 ? 8 : 0)}, and for signal frames), which want a value; and the DW_AT_location of parameters, which
 * want a {@link Location}: a register (DW_OP_reg*), a value (DW_OP_stack_value) or else the address on the stack. An
 * expression that uses an operation not listed (DW_OP_entry_value, DW_OP_piece...), an unknown register or unreadable
 * memory gives empty / {@link Location.Unavailable}.
 */
public final class DwarfExpression {
    private static final int MAX_STACK = 64;
    private static final int MAX_STEPS = 1000;
    /** DW_OP_reg0..31 and DW_OP_regx: the object is in the register named, and the expression ends there. */
    private static final int NO_REGISTER = -1;

    private final long[] stack = new long[MAX_STACK];
    private final ExpressionFrame frame;
    private int depth;
    private int register = NO_REGISTER;
    private boolean stackValue;

    private DwarfExpression(ExpressionFrame frame) {
        this.frame = frame;
    }

    /**
     * The value of the expression in bytes [start, end) of {@code code}, with {@code initial} pushed first when
     * present (DW_CFA_expression pushes the CFA), in {@code frame}.
     */
    public static OptionalLong evaluate(byte[] code, int start, int end, OptionalLong initial, ExpressionFrame frame) {
        DwarfExpression e = new DwarfExpression(frame);
        initial.ifPresent(e::push);
        try {
            return e.run(new DwarfReader(code, 0, start, end)) && e.register == NO_REGISTER ? OptionalLong.of(e.pop()) : OptionalLong.empty();
        } catch (MalformedDwarfException unsupported) {
            return OptionalLong.empty();
        }
    }

    /** Where the location description in bytes [start, end) of {@code code} puts an object of {@code frame}. */
    public static Location locate(byte[] code, int start, int end, ExpressionFrame frame) {
        DwarfExpression e = new DwarfExpression(frame);
        try {
            if (!e.run(new DwarfReader(code, 0, start, end))) {
                return new Location.Unavailable();
            }
            if (e.register != NO_REGISTER) {
                return new Location.InRegister(e.register);
            }
            long top = e.pop();
            return e.stackValue ? new Location.Value(top) : new Location.InMemory(top);
        } catch (MalformedDwarfException unsupported) {
            return new Location.Unavailable();
        }
    }

    private boolean run(DwarfReader r) {
        for (int steps = 0; !r.atEnd(); steps++) {
            if (steps > MAX_STEPS) {
                return false; // a branch loop in a damaged expression
            }
            int op = r.u8();
            if (op >= 0x30 && op <= 0x4F) { // DW_OP_lit0..31
                push(op - 0x30);
            } else if (op >= 0x50 && op <= 0x6F) { // DW_OP_reg0..31
                return registerLocation(op - 0x50, r);
            } else if (op >= 0x70 && op <= 0x8F) { // DW_OP_breg0..31
                if (!registerValue(op - 0x70, r.sleb128())) {
                    return false;
                }
            } else if (!operation(op, r)) {
                return false;
            }
        }
        return depth > 0;
    }

    /** A register location must be the whole description: nothing may follow it (a DW_OP_piece would). */
    private boolean registerLocation(long number, DwarfReader r) {
        register = (int) Math.min(number, Integer.MAX_VALUE);
        return r.atEnd();
    }

    private boolean registerValue(long number, long offset) {
        OptionalLong value = frame.registers().value((int) Math.min(number, Integer.MAX_VALUE));
        if (value.isEmpty()) {
            return false;
        }
        push(value.getAsLong() + offset);
        return true;
    }

    private boolean operation(int op, DwarfReader r) {
        switch (op) {
            case 0x03 -> push(r.u64() + frame.addressBias()); // DW_OP_addr
            case 0x06 -> { // DW_OP_deref
                OptionalLong v = MemoryWords.qword(frame.memory(), pop());
                if (v.isEmpty()) {
                    return false;
                }
                push(v.getAsLong());
            }
            case 0x08 -> push(r.u8());
            case 0x09 -> push((byte) r.u8());
            case 0x0A -> push(r.u16());
            case 0x0B -> push((short) r.u16());
            case 0x0C -> push(r.u32());
            case 0x0D -> push((int) r.u32());
            case 0x0E, 0x0F -> push(r.u64());
            case 0x10 -> push(r.uleb128());
            case 0x11 -> push(r.sleb128());
            case 0x12 -> push(peek(0)); // DW_OP_dup
            case 0x13 -> pop(); // DW_OP_drop
            case 0x14 -> push(peek(1)); // DW_OP_over
            case 0x15 -> push(peek(r.u8())); // DW_OP_pick
            case 0x16 -> { // DW_OP_swap
                long a = pop();
                long b = pop();
                push(a);
                push(b);
            }
            case 0x17 -> { // DW_OP_rot
                long a = pop();
                long b = pop();
                long c = pop();
                push(a);
                push(c);
                push(b);
            }
            case 0x19 -> push(Math.abs(pop()));
            case 0x1F -> push(-pop());
            case 0x20 -> push(~pop());
            case 0x23 -> push(pop() + r.uleb128()); // DW_OP_plus_uconst
            case 0x28 -> { // DW_OP_bra
                int delta = (short) r.u16();
                if (pop() != 0) {
                    r.seek(r.position() + delta);
                }
            }
            case 0x2F -> { // DW_OP_skip
                int delta = (short) r.u16();
                r.seek(r.position() + delta);
            }
            case 0x90 -> { // DW_OP_regx
                return registerLocation(r.uleb128(), r);
            }
            case 0x91 -> { // DW_OP_fbreg
                long offset = r.sleb128();
                if (frame.frameBase().isEmpty()) {
                    return false;
                }
                push(frame.frameBase().getAsLong() + offset);
            }
            case 0x92 -> { // DW_OP_bregx
                long number = r.uleb128();
                return registerValue(number, r.sleb128());
            }
            case 0x96 -> { } // DW_OP_nop
            case 0x9C -> { // DW_OP_call_frame_cfa
                if (frame.cfa().isEmpty()) {
                    return false;
                }
                push(frame.cfa().getAsLong());
            }
            case 0x9F -> { // DW_OP_stack_value: the value is the object; nothing may follow
                stackValue = true;
                return r.atEnd() && depth > 0;
            }
            default -> {
                return binary(op);
            }
        }
        return true;
    }

    /** The two-operand operations: the second entry is the left operand. */
    private boolean binary(int op) {
        long right = pop();
        long left = pop();
        long value;
        switch (op) {
            case 0x1A -> value = left & right;
            case 0x1B -> {
                if (right == 0) {
                    return false;
                }
                value = left / right;
            }
            case 0x1C -> value = left - right;
            case 0x1D -> {
                if (right == 0) {
                    return false;
                }
                value = Long.remainderUnsigned(left, right);
            }
            case 0x1E -> value = left * right;
            case 0x21 -> value = left | right;
            case 0x22 -> value = left + right;
            case 0x24 -> value = left << right;
            case 0x25 -> value = left >>> right;
            case 0x26 -> value = left >> right;
            case 0x27 -> value = left ^ right;
            case 0x29 -> value = left == right ? 1 : 0;
            case 0x2A -> value = left >= right ? 1 : 0;
            case 0x2B -> value = left > right ? 1 : 0;
            case 0x2C -> value = left <= right ? 1 : 0;
            case 0x2D -> value = left < right ? 1 : 0;
            case 0x2E -> value = left != right ? 1 : 0;
            default -> {
                return false;
            }
        }
        push(value);
        return true;
    }

    private void push(long value) {
        if (depth == MAX_STACK) {
            throw new MalformedDwarfException("DWARF expression stack overflow");
        }
        stack[depth++] = value;
    }

    private long pop() {
        if (depth == 0) {
            throw new MalformedDwarfException("DWARF expression stack underflow");
        }
        return stack[--depth];
    }

    private long peek(int index) {
        if (index >= depth) {
            throw new MalformedDwarfException("DWARF expression stack underflow");
        }
        return stack[depth - 1 - index];
    }
}
