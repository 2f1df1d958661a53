package dev.debugport.linux.platform;

/**
 * Whether a faulting x86-64 instruction was reading or writing memory, for STATUS_ACCESS_VIOLATION's
 * ExceptionInformation[0] (0 read, 1 write, 8 execute). Linux does not give a tracer the page-fault error code (it is
 * only in the signal frame a handler gets), so when the mapping's protection does not settle it, the instruction at
 * the fault is decoded: prefixes (legacy, REX, VEX), the opcode and, where the operation depends on it, the ModRM
 * reg field. Only "does it store to its memory operand" is decided; anything unknown counts as a read, which is what
 * a failed load or an unmapped read-modify-write reports first on real hardware as well for most cases.
 *
 * <p>Stores: MOV r/m forms (88, 89, 8C, C6, C7, A2, A3), the read-modify-write group forms (ALU r/m,reg and r/m,imm
 * except CMP; INC, DEC, NOT, NEG, shifts and rotates; XCHG; BTS/BTR/BTC; CMPXCHG; XADD; SETcc), POP r/m, string
 * stores (STOS; MOVS when the fault is at rdi), pushes and calls (the fault at the stack), x87 stores, and the SSE/AVX
 * store forms (MOVUPS/MOVAPS/MOVDQA/MOVDQU/MOVLPS/MOVHPS/MOVNT*, MOVD/MOVQ to memory).
 */
final class AccessDecoder {
    static final int READ = 0;
    static final int WRITE = 1;
    static final int EXECUTE = 8;

    private AccessDecoder() {
    }

    /**
     * @param code  up to 15 bytes at the faulting rip (fewer if unreadable)
     * @param fault the fault address
     * @param rsp   the stack pointer at the fault
     * @param rdi   rdi at the fault (string instructions)
     */
    static int decode(byte[] code, long fault, long rsp, long rdi) {
        int i = 0;
        int n = code.length;
        boolean opsize = false;
        boolean rep = false;
        // legacy prefixes
        while (i < n) {
            int b = code[i] & 0xFF;
            if (b == 0x66) {
                opsize = true;
            } else if (b == 0xF2 || b == 0xF3) {
                rep = true;
            } else if (!(b == 0xF0 || b == 0x2E || b == 0x36 || b == 0x3E || b == 0x26 || b == 0x64 || b == 0x65
                    || b == 0x67)) {
                break;
            }
            i++;
        }
        if (i >= n) {
            return READ;
        }
        int b = code[i] & 0xFF;
        // VEX
        if ((b == 0xC5 || b == 0xC4) && i + 2 < n) {
            int map;
            int pp;
            if (b == 0xC5) {
                map = 1;
                pp = code[i + 1] & 3;
                i += 2;
            } else {
                map = code[i + 1] & 0x1F;
                pp = code[i + 2] & 3;
                i += 3;
            }
            if (i >= n) {
                return READ;
            }
            int op = code[i] & 0xFF;
            return map == 1 && isStore0F(op, pp == 1, pp == 2 || pp == 3) ? WRITE : READ;
        }
        // REX
        if (b >= 0x40 && b <= 0x4F) {
            i++;
            if (i >= n) {
                return READ;
            }
            b = code[i] & 0xFF;
        }
        int reg = i + 1 < n ? (code[i + 1] >> 3) & 7 : 0;
        boolean nearStack = fault - rsp >= -256 && fault - rsp < 16;
        if (b == 0x0F) {
            if (i + 1 >= n) {
                return READ;
            }
            int op = code[i + 1] & 0xFF;
            if (op >= 0x90 && op <= 0x9F) {
                return WRITE; // SETcc
            }
            return isStore0F(op, opsize, rep) ? WRITE : READ;
        }
        if (b < 0x40) {
            int low = b & 7;
            if (low == 0 || low == 1) {
                return (b & 0xF8) == 0x38 ? READ : WRITE; // ALU r/m, reg (CMP reads)
            }
            return READ;
        }
        switch (b) {
            case 0x80, 0x81, 0x83 -> {
                return reg == 7 ? READ : WRITE;
            }
            case 0x86, 0x87, 0x88, 0x89, 0x8C, 0x8F, 0xC0, 0xC1, 0xD0, 0xD1, 0xD2, 0xD3, 0xC6, 0xC7, 0xA2, 0xA3,
                 0xAA, 0xAB -> {
                return WRITE;
            }
            case 0xA4, 0xA5 -> {
                return Math.abs(fault - rdi) < 64 ? WRITE : READ;
            }
            case 0xF6, 0xF7 -> {
                return reg == 2 || reg == 3 ? WRITE : READ;
            }
            case 0xFE -> {
                return reg <= 1 ? WRITE : READ;
            }
            case 0xFF -> {
                if (reg <= 1) {
                    return WRITE;
                }
                return (reg == 2 || reg == 3 || reg == 6) && nearStack ? WRITE : READ;
            }
            case 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x68, 0x6A, 0x9C, 0xC8, 0xE8 -> {
                return nearStack ? WRITE : READ;
            }
            case 0xD9 -> {
                return reg == 2 || reg == 3 || reg == 6 || reg == 7 ? WRITE : READ;
            }
            case 0xDB, 0xDF -> {
                return reg == 1 || reg == 2 || reg == 3 || reg == 6 || reg == 7 ? WRITE : READ;
            }
            case 0xDD -> {
                return reg == 1 || reg == 2 || reg == 3 || reg == 6 || reg == 7 ? WRITE : READ;
            }
            default -> {
                return READ;
            }
        }
    }

    /** The two-byte (0F) opcodes that store to their memory operand. */
    private static boolean isStore0F(int op, boolean prefix66, boolean prefixF2F3) {
        return switch (op) {
            case 0x11, 0x13, 0x17, 0x29, 0x2B, 0x7F, 0xE7, 0xC3, 0xAB, 0xB3, 0xBB, 0xB0, 0xB1, 0xC0, 0xC1 -> true;
            case 0x7E -> !prefixF2F3; // MOVD/MOVQ r/m, (x)mm; F3 0F 7E is a load
            case 0xD6 -> prefix66;
            case 0xBA -> false; // BT group with imm: BTS/BTR/BTC write, but BT reads; undecided counts as read
            default -> false;
        };
    }
}
