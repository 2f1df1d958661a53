package dev.debugport.nt;

/**
 * A {@code HANDLE} value: an index into a process's handle table, the null handle, or one of the
 * pseudo handles {@code NtCurrentProcess()} (-1) and {@code NtCurrentThread()} (-2).
 *
 * @param value the raw handle value
 */
public record Handle(long value) {

    /** The null handle (0). */
    public static final Handle NULL = new Handle(0);
    /** {@code NtCurrentProcess()}: the pseudo handle -1. */
    public static final Handle CURRENT_PROCESS = new Handle(-1);
    /** {@code NtCurrentThread()}: the pseudo handle -2. */
    public static final Handle CURRENT_THREAD = new Handle(-2);

    /**
     * @param value a raw handle value
     * @return the handle; the constant instance for 0, -1 and -2
     */
    public static Handle of(long value) {
        if (value == 0) {
            return NULL;
        } else if (value == -1) {
            return CURRENT_PROCESS;
        } else if (value == -2) {
            return CURRENT_THREAD;
        }
        return new Handle(value);
    }

    /** @return true for the null handle */
    public boolean isNull() {
        return value == 0;
    }

    /** @return true for a pseudo handle (any negative value) */
    public boolean isPseudo() {
        return value < 0;
    }

    /** @return the value in hex, e.g. {@code "0x4c"}; pseudo handles print as 64-bit two's complement */
    @Override
    public String toString() {
        return "0x" + Long.toHexString(value);
    }

    // equals and hashCode are written out: a record's generated ones are linked at their first call by a
    // method-handle bootstrap (ObjectMethods) and run as a method-handle chain until the JIT gets to them, which
    // showed in cold runs (an attach compares handles for every thread: bench/attach-many).
    @Override
    public boolean equals(Object o) {
        return o instanceof Handle h && h.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }
}
