package dev.debugport.sim;

import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;

/**
 * The x86-64 debug-register breakpoints a guest thread's context arms, as the CPU matches them: DR0-DR3 hold the
 * addresses; in DR7 slot n is enabled by its L bit (2n) or G bit (2n + 1), its R/W field at 16 + 4n says what
 * fires it (00 instruction execution, 01 data writes, 11 data reads or writes) and its LEN field at 18 + 4n the
 * watched size (00 one byte, 01 two, 11 four, 10 eight; the address's low bits below that size are ignored, as the
 * CPU ignores them). A debug exception reports the slots that fired in DR6 bits B0-B3.
 *
 * <p>R/W 10 (I/O port breakpoints, which need CR4.DE) is not modelled: such a slot never fires, since sim guests do
 * no port I/O. DR7's GD bit (a fault on debug-register access) and the LE/GE bits are ignored.
 */
final class HardwareBreakpoints {
    /** DR6 B0-B3: which slots caused the debug exception. */
    private static final long DR6_SLOT_BITS = 0xF;
    /** DR7 L0, G0 .. L3, G3. */
    private static final long DR7_ENABLE_BITS = 0xFF;
    private static final int RW_EXECUTE = 0b00;
    private static final int RW_WRITE = 0b01;
    private static final int RW_READ_WRITE = 0b11;
    private static final Amd64Register[] ADDRESS = {Amd64Register.DR0, Amd64Register.DR1, Amd64Register.DR2, Amd64Register.DR3};

    private HardwareBreakpoints() {
    }

    /**
     * The execute breakpoints on the instruction at {@code rip}.
     *
     * @return bit n set for each enabled slot n with R/W 00 at {@code rip}; 0 when DR7 enables no slot
     */
    static int executeHits(Amd64Context context, long rip) {
        return hits(context, rip, 1, RW_EXECUTE, RW_EXECUTE);
    }

    /**
     * The data breakpoints a completed access of {@code length} bytes at {@code address} fires: writes fire R/W 01
     * and 11 slots, reads only 11 slots; any overlap with the watched range counts.
     *
     * @return bit n set for each slot n that fires; 0 when DR7 enables no slot
     */
    static int dataHits(Amd64Context context, long address, int length, boolean write) {
        return hits(context, address, length, write ? RW_WRITE : RW_READ_WRITE, RW_READ_WRITE);
    }

    /** {@code context} as a debug exception reports {@code slots}: DR6 B0-B3 say exactly which slots fired. */
    static Amd64Context reporting(Amd64Context context, int slots) {
        long dr6 = context.get(Amd64Register.DR6);
        long reported = (dr6 & ~DR6_SLOT_BITS) | slots;
        return reported == dr6 ? context : context.with(Amd64Register.DR6, reported);
    }

    /** Slots enabled in DR7 whose R/W field is {@code rw} or {@code alsoRw} and whose range overlaps the access. */
    private static int hits(Amd64Context context, long address, int length, int rw, int alsoRw) {
        long dr7 = context.get(Amd64Register.DR7);
        if ((dr7 & DR7_ENABLE_BITS) == 0) {
            return 0; // the common case: no slot armed, nothing more to look at
        }
        int hits = 0;
        for (int slot = 0; slot < ADDRESS.length; slot++) {
            int slotRw = (int) (dr7 >>> (16 + 4 * slot)) & 3;
            if ((dr7 & (3L << (2 * slot))) == 0 || (slotRw != rw && slotRw != alsoRw)) {
                continue;
            }
            int size = watchedSize((int) (dr7 >>> (18 + 4 * slot)) & 3);
            long start = context.get(ADDRESS[slot]) & -size;
            if (address < start + size && start < address + length) {
                hits |= 1 << slot;
            }
        }
        return hits;
    }

    /** The byte count of a LEN field. */
    private static int watchedSize(int len) {
        return switch (len) {
            case 0b00 -> 1;
            case 0b01 -> 2;
            case 0b10 -> 8;
            default -> 4;
        };
    }
}
