package dev.debugport.kernel;

import dev.debugport.nt.NtStatus;

/**
 * A caller-supplied pointer argument of an Nt* service (an input buffer or an output location), the Java stand-in
 * for a user-mode pointer.
 *
 * <p>NT services probe user pointers before touching them (ProbeForWrite): a pointer outside user space faults with
 * STATUS_ACCESS_VIOLATION and a misaligned one with STATUS_DATATYPE_MISALIGNMENT. Tests build such pointers with
 * {@link #invalidAddress()} and {@link #misaligned()} to check that each service fails the way Windows does and leaves
 * the output untouched.
 */
public final class UserPointer<T> {
    private enum Kind { VALID, INVALID_ADDRESS, MISALIGNED }

    private final Kind kind;
    private T value;
    private boolean written;

    private UserPointer(Kind kind, T initial) {
        this.kind = kind;
        this.value = initial;
    }

    /** A valid output location holding {@code initial}. */
    public static <T> UserPointer<T> of(T initial) {
        return new UserPointer<>(Kind.VALID, initial);
    }

    /** A valid output location holding null. */
    public static <T> UserPointer<T> empty() {
        return new UserPointer<>(Kind.VALID, null);
    }

    /** A pointer outside user space: probing or writing it faults with STATUS_ACCESS_VIOLATION. */
    public static <T> UserPointer<T> invalidAddress() {
        return new UserPointer<>(Kind.INVALID_ADDRESS, null);
    }

    /** A pointer that is not aligned for its type: probing it fails with STATUS_DATATYPE_MISALIGNMENT. */
    public static <T> UserPointer<T> misaligned() {
        return new UserPointer<>(Kind.MISALIGNED, null);
    }

    /** Implements ProbeForWrite: the status a probe of this location gives. */
    public NtStatus probe() {
        return switch (kind) {
            case VALID -> NtStatus.STATUS_SUCCESS;
            case INVALID_ADDRESS -> NtStatus.STATUS_ACCESS_VIOLATION;
            case MISALIGNED -> NtStatus.STATUS_DATATYPE_MISALIGNMENT;
        };
    }

    /** Writes the location; returns the fault status if it cannot be written. */
    public NtStatus set(T newValue) {
        NtStatus probe = probe();
        if (probe.isSuccess()) {
            value = newValue;
            written = true;
        }
        return probe;
    }

    public T get() {
        return value;
    }

    /** Whether any service wrote this location (tests use it to check "output untouched"). */
    public boolean written() {
        return written;
    }

    @Override
    public String toString() {
        return kind == Kind.VALID ? "UserPointer[" + value + "]" : "UserPointer<" + kind + ">";
    }
}
