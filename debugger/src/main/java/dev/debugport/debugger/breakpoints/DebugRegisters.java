package dev.debugport.debugger.breakpoints;

import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import java.util.Collection;

/**
 * The x86-64 debug registers as ba programs them: DR0-DR3 hold the addresses; in DR7 slot n has its local-enable
 * bit at 2n, its R/W field (00 execute, 01 write, 11 read/write) at 16 + 4n and its LEN field (00 one byte, 01 two,
 * 11 four, 10 eight) at 18 + 4n. DR6's low four bits say which slot fired.
 */
public final class DebugRegisters {
    private static final Amd64Register[] ADDRESS = {Amd64Register.DR0, Amd64Register.DR1, Amd64Register.DR2, Amd64Register.DR3};

    private DebugRegisters() {
    }

    /** DR0-DR3 and DR7 for the enabled hardware breakpoints given, as {dr0, dr1, dr2, dr3, dr7}. */
    public static long[] encode(Collection<Breakpoint> hardware) {
        long[] regs = new long[5];
        for (Breakpoint b : hardware) {
            if (!b.enabled() || b.address().isEmpty()) {
                continue;
            }
            int slot = b.slot();
            regs[slot] = b.address().getAsLong();
            regs[4] |= 1L << (2 * slot);
            regs[4] |= (long) b.access().rwBits() << (16 + 4 * slot);
            regs[4] |= (long) lengthBits(b.size()) << (18 + 4 * slot);
        }
        return regs;
    }

    /** The LEN field for a watched size of 1, 2, 4 or 8 bytes. */
    static int lengthBits(int size) {
        return switch (size) {
            case 1 -> 0b00;
            case 2 -> 0b01;
            case 8 -> 0b10;
            default -> 0b11;
        };
    }

    /** A context with DR0-DR3 and DR7 replaced by {@code regs} and DR6 cleared. */
    public static Amd64Context apply(Amd64Context context, long[] regs) {
        Amd64Context c = context;
        for (int i = 0; i < ADDRESS.length; i++) {
            c = c.with(ADDRESS[i], regs[i]);
        }
        return c.with(Amd64Register.DR7, regs[4]).with(Amd64Register.DR6, 0);
    }

    /** The slot that fired according to DR6 (bits 0-3), or -1. */
    public static int firedSlot(Amd64Context context) {
        long dr6 = context.get(Amd64Register.DR6);
        for (int slot = 0; slot < ADDRESS.length; slot++) {
            if ((dr6 & (1L << slot)) != 0) {
                return slot;
            }
        }
        return -1;
    }
}
