package dev.debugport.kd.host;

import dev.debugport.kd.message.KdArchitecture;
import java.util.OptionalInt;

/**
 * Tells whether the instruction at the start of some code is a {@code call}, and how long it is: what kd's {@code p}
 * needs to step over a call (a breakpoint on the instruction after it). It decodes the call forms only, not x86 in
 * general:
 *
 * <pre>
 *  [legacy prefixes] [REX (64-bit code)]  E8 rel32              call near, relative (rel16 with 66 in 32-bit code)
 *  [legacy prefixes] [REX (64-bit code)]  FF /2 ModRM [SIB] [disp]  call near, indirect (register or memory)
 *  [legacy prefixes] [REX (64-bit code)]  FF /3 ModRM [SIB] [disp]  call far, indirect (memory only)
 *  [legacy prefixes]                      9A ptr16:32           call far, direct (32-bit code only; ptr16:16 with 66)
 * </pre>
 *
 * ModRM: mod 11 is a register (no more bytes); otherwise, with 32- or 64-bit addressing, r/m 100 adds a SIB byte
 * (whose base 101 under mod 00 adds a disp32), mod 00 r/m 101 is disp32 (RIP-relative in 64-bit code), mod 01 adds a
 * disp8 and mod 10 a disp32. 16-bit addressing (67 in 32-bit code) has no SIB: mod 00 r/m 110 and mod 10 add a
 * disp16, mod 01 a disp8. In 64-bit code an operand-size prefix does not shorten E8 (Intel's rule), and REX changes
 * no length.
 */
final class CallInstruction {
    /** The longest x86 instruction. */
    static final int MAX_LENGTH = 15;

    private CallInstruction() {
    }

    /**
     * @param code the bytes at the program counter (up to {@link #MAX_LENGTH})
     * @param arch the target's architecture: 64-bit code on AMD64, 32-bit code on x86
     * @return the call's length, or empty if the code does not start with a complete call
     */
    static OptionalInt length(byte[] code, KdArchitecture arch) {
        boolean longMode = arch == KdArchitecture.AMD64;
        boolean operandSize16 = false;
        boolean addressSize16 = false;
        int at = 0;
        while (at < code.length && at < MAX_LENGTH) {
            int b = code[at] & 0xFF;
            if (isLegacyPrefix(b)) {
                operandSize16 |= b == 0x66;
                addressSize16 |= b == 0x67 && !longMode;
                at++;
            } else if (longMode && (b & 0xF0) == 0x40) {
                at++; // REX
            } else {
                break;
            }
        }
        if (at >= code.length) {
            return OptionalInt.empty();
        }
        int opcode = code[at] & 0xFF;
        int length = switch (opcode) {
            case 0xE8 -> at + 1 + (operandSize16 && !longMode ? 2 : 4);
            case 0x9A -> longMode ? -1 : at + 1 + (operandSize16 ? 4 : 6);
            case 0xFF -> indirectLength(code, at + 1, addressSize16);
            default -> -1;
        };
        return length > 0 && length <= code.length && length <= MAX_LENGTH ? OptionalInt.of(length) : OptionalInt.empty();
    }

    /** LOCK, REPNE, REP, the segment overrides, operand size, address size. */
    private static boolean isLegacyPrefix(int b) {
        return switch (b) {
            case 0xF0, 0xF2, 0xF3, 0x2E, 0x36, 0x3E, 0x26, 0x64, 0x65, 0x66, 0x67 -> true;
            default -> false;
        };
    }

    /** The end of FF /2 or FF /3 whose ModRM is at {@code modrmAt}, or -1 if it is another FF instruction. */
    private static int indirectLength(byte[] code, int modrmAt, boolean addressSize16) {
        if (modrmAt >= code.length) {
            return -1;
        }
        int modrm = code[modrmAt] & 0xFF;
        int mod = modrm >> 6;
        int reg = (modrm >> 3) & 7;
        int rm = modrm & 7;
        if ((reg != 2 && reg != 3) || (reg == 3 && mod == 3)) {
            return -1; // not a call (inc, dec, jmp, push), or a far call through a register (invalid)
        }
        int end = modrmAt + 1;
        if (mod == 3) {
            return end;
        }
        if (addressSize16) {
            return end + (mod == 1 ? 1 : mod == 2 || rm == 6 ? 2 : 0);
        }
        if (rm == 4) {
            if (end >= code.length) {
                return -1;
            }
            int base = code[end] & 7;
            end++;
            if (mod == 0 && base == 5) {
                return end + 4;
            }
        } else if (mod == 0 && rm == 5) {
            return end + 4;
        }
        return end + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
    }
}
