package dev.debugport.debugger.breakpoints;

import dev.debugport.debugger.target.Target;
import java.util.OptionalLong;

/**
 * One entry of cdb's breakpoint list. A software breakpoint (bp, bu, bm) is an int3 the debugger writes over the
 * first byte of an instruction while the target runs; a hardware one (ba) is a debug-register slot in every thread
 * of its process. A deferred one (bu, or bp on a symbol not loaded yet) keeps its expression and is resolved again
 * whenever a module loads.
 */
public final class Breakpoint {
    /** How the breakpoint is implemented. */
    public enum Kind {
        SOFTWARE,
        HARDWARE
    }

    /** What a hardware breakpoint watches (ba e / r / w). */
    public enum Access {
        EXECUTE('e', 0b00),
        WRITE('w', 0b01),
        READ_WRITE('r', 0b11);

        private final char letter;
        private final int rwBits;

        Access(char letter, int rwBits) {
            this.letter = letter;
            this.rwBits = rwBits;
        }

        public char letter() {
            return letter;
        }

        /** The R/W field of DR7 for this access. */
        public int rwBits() {
            return rwBits;
        }

        public static Access of(char letter) {
            for (Access a : values()) {
                if (a.letter == Character.toLowerCase(letter)) {
                    return a;
                }
            }
            return null;
        }
    }

    private final int id;
    private final Kind kind;
    private final Target target;
    private final String expression;
    private final boolean deferred;
    private final int passCount;
    private final String command;
    private final Access access;
    private final int size;
    private final int slot;
    private OptionalLong address;
    private int remaining;
    private boolean enabled = true;

    private Breakpoint(int id, Kind kind, Target target, String expression, boolean deferred, OptionalLong address,
                       int passCount, String command, Access access, int size, int slot) {
        this.id = id;
        this.kind = kind;
        this.target = target;
        this.expression = expression;
        this.deferred = deferred;
        this.address = address;
        this.passCount = passCount;
        this.remaining = passCount;
        this.command = command;
        this.access = access;
        this.size = size;
        this.slot = slot;
    }

    /** bp / bu / bm: an int3 at {@code address} (empty while a deferred breakpoint is unresolved). */
    public static Breakpoint software(int id, Target target, String expression, boolean deferred, OptionalLong address,
                                      int passCount, String command) {
        return new Breakpoint(id, Kind.SOFTWARE, target, expression, deferred, address, passCount, command, Access.EXECUTE, 1, -1);
    }

    /** ba: debug-register slot {@code slot} (0-3) watching {@code size} bytes at {@code address}. */
    public static Breakpoint hardware(int id, Target target, String expression, long address, Access access, int size,
                                      int slot, int passCount, String command) {
        return new Breakpoint(id, Kind.HARDWARE, target, expression, false, OptionalLong.of(address), passCount, command, access, size, slot);
    }

    public int id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    public Target target() {
        return target;
    }

    public String expression() {
        return expression;
    }

    public boolean deferred() {
        return deferred;
    }

    public OptionalLong address() {
        return address;
    }

    void resolve(long at) {
        address = OptionalLong.of(at);
    }

    public int passCount() {
        return passCount;
    }

    public int remaining() {
        return remaining;
    }

    public String command() {
        return command;
    }

    public Access access() {
        return access;
    }

    public int size() {
        return size;
    }

    public int slot() {
        return slot;
    }

    public boolean enabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Whether it is armed at {@code at}: enabled and resolved there. */
    public boolean armedAt(long at) {
        return enabled && address.isPresent() && address.getAsLong() == at;
    }

    /**
     * Counts one hit against the pass count, as cdb does: the breakpoint breaks when the count has run down to one,
     * and stays at one afterwards.
     *
     * @return true if this hit breaks into the debugger
     */
    public boolean countHit() {
        if (remaining > 1) {
            remaining--;
            return false;
        }
        return true;
    }
}
