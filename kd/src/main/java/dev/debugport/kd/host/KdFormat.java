package dev.debugport.kd.host;

import dev.debugport.kd.message.KdArchitecture;
import java.util.Locale;

/** cdb/kd-style text: addresses with the backtick, and a disassembler for the few instructions the machine runs. */
public final class KdFormat {
    private KdFormat() {
    }

    /** @return {@code fffff800`02a00000} on AMD64, {@code 00401000} on x86 */
    public static String address(long address, KdArchitecture arch) {
        if (arch == KdArchitecture.X86) {
            return String.format("%08x", address & 0xFFFF_FFFFL);
        }
        return String.format("%08x`%08x", address >>> 32, address & 0xFFFF_FFFFL);
    }

    /**
     * Parses an address or number as kd does: hex by default, an optional {@code 0x} prefix, backticks ignored,
     * {@code 0n} for decimal.
     *
     * @throws NumberFormatException if it is not a number
     */
    public static long parseNumber(String text) {
        String t = text.trim().replace("`", "").toLowerCase(Locale.ROOT);
        if (t.startsWith("0n")) {
            return Long.parseLong(t.substring(2));
        }
        if (t.startsWith("0x")) {
            t = t.substring(2);
        }
        if (t.isEmpty() || t.length() > 16) {
            throw new NumberFormatException(text);
        }
        return Long.parseUnsignedLong(t, 16);
    }

    /**
     * Disassembles one instruction of {@code code} (the instructions the simulated machine executes and the common
     * one-byte ones; anything else is shown as a data byte).
     *
     * @return {length, text}; length 0 if {@code code} is empty
     */
    public static Object[] disassemble(byte[] code) {
        if (code.length == 0) {
            return new Object[] {0, "???"};
        }
        int op = code[0] & 0xFF;
        return switch (op) {
            case 0xCC -> new Object[] {1, "int     3"};
            case 0x90 -> new Object[] {1, "nop"};
            case 0xC3 -> new Object[] {1, "ret"};
            case 0xF4 -> new Object[] {1, "hlt"};
            case 0xFA -> new Object[] {1, "cli"};
            case 0xFB -> new Object[] {1, "sti"};
            case 0xCD -> code.length < 2 ? new Object[] {1, "db      0cdh"}
                    : new Object[] {2, String.format("int     %xh", code[1] & 0xFF)};
            case 0xEB -> code.length < 2 ? new Object[] {1, "db      0ebh"}
                    : new Object[] {2, "jmp     $" + String.format("%+d", code[1] + 2)};
            case 0x0F -> code.length >= 3 && (code[1] & 0xFF) == 0x01 && (code[2] & 0xFF) == 0xF8
                    ? new Object[] {3, "swapgs"} : new Object[] {1, "db      0fh"};
            default -> new Object[] {1, String.format("db      %02xh", op)};
        };
    }

    /** @return {@code address bytes mnemonic} for the instruction at {@code address}, or a {@code ??} line */
    public static String instructionLine(long address, byte[] code, KdArchitecture arch) {
        Object[] d = disassemble(code);
        int len = (int) d[0];
        if (len == 0) {
            return address(address, arch) + " ??              ???";
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < len; i++) {
            hex.append(String.format("%02x", code[i] & 0xFF));
        }
        return String.format("%s %-16s%s", address(address, arch), hex, d[1]);
    }
}
