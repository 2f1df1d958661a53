package dev.debugport.analysis.unwind;

import dev.debugport.analysis.MemoryReader;
import dev.debugport.analysis.MemoryWords;
import java.util.OptionalLong;

/**
 * Evaluates the DWARF expressions of CFA rules (DWARF 4 section 2.5): the stack operations, constants, arithmetic
 * and comparisons, register-relative values (DW_OP_breg*), memory reads (DW_OP_deref) and branches. glibc's and gcc's
 * CFI use them for PLT entries ({@code rsp + 8 + ((rip & 15) >= 11 ? 8 : 0)}) and for signal frames. An expression
 * that uses an operation not listed, an unknown register or unreadable memory gives empty: the walker then falls
 * back to the frame pointer.
 */
final class DwarfExpression {
    private static final int MAX_STACK = 64;
    private static final int MAX_STEPS = 1000;

    private final long[] stack = new long[MAX_STACK];
    private int depth;

    private DwarfExpression() {
    }

    /**
     * The value of the expression in bytes [start, end) of {@code section}, with {@code initial} pushed first when
     * present (DW_CFA_expression pushes the CFA), in a frame whose registers are {@code registers}.
     */
    static OptionalLong evaluate(byte[] section, int start, int end, OptionalLong initial, Registers registers, MemoryReader memory) {
        DwarfExpression e = new DwarfExpression();
        initial.ifPresent(e::push);
        try {
            return e.run(new DwarfReader(section, 0, start, end), registers, memory) ? OptionalLong.of(e.pop()) : OptionalLong.empty();
        } catch (MalformedCfiException unsupported) {
            return OptionalLong.empty();
        }
    }

    private boolean run(DwarfReader r, Registers registers, MemoryReader memory) {
        for (int steps = 0; !r.atEnd(); steps++) {
            if (steps > MAX_STEPS) {
                return false; // a branch loop in a damaged expression
            }
            int op = r.u8();
            if (op >= 0x30 && op <= 0x4F) { // DW_OP_lit0..31
                push(op - 0x30);
            } else if (op >= 0x70 && op <= 0x8F) { // DW_OP_breg0..31
                if (!registers.known(op - 0x70)) {
                    return false;
                }
                push(registers.get(op - 0x70) + r.sleb128());
            } else if (!operation(op, r, registers, memory)) {
                return false;
            }
        }
        return depth > 0;
    }

    private boolean operation(int op, DwarfReader r, Registers registers, MemoryReader memory) {
        switch (op) {
            case 0x03 -> push(r.u64()); // DW_OP_addr
            case 0x06 -> { // DW_OP_deref
                OptionalLong v = MemoryWords.qword(memory, pop());
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
            case 0x92 -> { // DW_OP_bregx
                long register = r.uleb128();
                long offset = r.sleb128();
                if (!registers.known((int) Math.min(register, Integer.MAX_VALUE))) {
                    return false;
                }
                push(registers.get((int) register) + offset);
            }
            case 0x96 -> { } // DW_OP_nop
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
            throw new MalformedCfiException("DWARF expression stack overflow");
        }
        stack[depth++] = value;
    }

    private long pop() {
        if (depth == 0) {
            throw new MalformedCfiException("DWARF expression stack underflow");
        }
        return stack[--depth];
    }

    private long peek(int index) {
        if (index >= depth) {
            throw new MalformedCfiException("DWARF expression stack underflow");
        }
        return stack[depth - 1 - index];
    }
}
