package dev.debugport.nt;

import java.util.List;
import java.util.Objects;

/**
 * An {@code EXCEPTION_RECORD}: ExceptionCode, ExceptionFlags, the nested ExceptionRecord pointer,
 * ExceptionAddress and the ExceptionInformation array (NumberParameters is the list's size).
 *
 * @param code        ExceptionCode, an NTSTATUS value
 * @param flags       ExceptionFlags (e.g. {@link #EXCEPTION_NONCONTINUABLE})
 * @param nested      the chained record of an exception raised during dispatch, or null
 * @param address     ExceptionAddress
 * @param information ExceptionInformation[0 .. NumberParameters-1], at most
 *                    {@link #EXCEPTION_MAXIMUM_PARAMETERS} entries; stored as an unmodifiable copy
 */
public record ExceptionRecord(int code, int flags, ExceptionRecord nested, long address, List<Long> information) {

    /** EXCEPTION_MAXIMUM_PARAMETERS: capacity of the ExceptionInformation array. */
    public static final int EXCEPTION_MAXIMUM_PARAMETERS = 15;
    /** EXCEPTION_NONCONTINUABLE: ExceptionFlags bit of an exception that cannot be continued. */
    public static final int EXCEPTION_NONCONTINUABLE = 0x1;

    /**
     * @throws NullPointerException     if {@code information} or one of its entries is null
     * @throws IllegalArgumentException if there are more than {@link #EXCEPTION_MAXIMUM_PARAMETERS} entries
     */
    public ExceptionRecord {
        Objects.requireNonNull(information, "information");
        if (information.size() > EXCEPTION_MAXIMUM_PARAMETERS) {
            throw new IllegalArgumentException("an EXCEPTION_RECORD holds at most " + EXCEPTION_MAXIMUM_PARAMETERS
                    + " parameters, got " + information.size());
        }
        information = List.copyOf(information);
    }

    /**
     * A record with no flags and no nested record.
     *
     * @param code        ExceptionCode
     * @param address     ExceptionAddress
     * @param information ExceptionInformation entries
     * @return the record
     */
    public static ExceptionRecord of(int code, long address, long... information) {
        Long[] boxed = new Long[information.length];
        for (int i = 0; i < information.length; i++) {
            boxed[i] = information[i];
        }
        return new ExceptionRecord(code, 0, null, address, List.of(boxed));
    }

    /**
     * @param i index into ExceptionInformation, 0 .. {@link #EXCEPTION_MAXIMUM_PARAMETERS}-1
     * @return ExceptionInformation[i], or 0 when {@code i >= NumberParameters}
     * @throws IndexOutOfBoundsException if {@code i} is outside the array NT reserves
     */
    public long info(int i) {
        Objects.checkIndex(i, EXCEPTION_MAXIMUM_PARAMETERS);
        return i < information.size() ? information.get(i) : 0L;
    }

    /** @return NumberParameters */
    public int numberParameters() {
        return information.size();
    }

    /** @return the ExceptionCode as an {@link NtStatus} */
    public NtStatus status() {
        return NtStatus.of(code);
    }

    /** @return true when {@link #EXCEPTION_NONCONTINUABLE} is set in the flags */
    public boolean isNoncontinuable() {
        return (flags & EXCEPTION_NONCONTINUABLE) != 0;
    }

    /**
     * @param newAddress the new ExceptionAddress
     * @return a copy with the address replaced
     */
    public ExceptionRecord withAddress(long newAddress) {
        return new ExceptionRecord(code, flags, nested, newAddress, information);
    }

    /**
     * @param newFlags the new ExceptionFlags
     * @return a copy with the flags replaced
     */
    public ExceptionRecord withFlags(int newFlags) {
        return new ExceptionRecord(code, newFlags, nested, address, information);
    }
}
