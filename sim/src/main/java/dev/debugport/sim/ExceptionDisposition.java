package dev.debugport.sim;

/** What a guest exception handler decides (the return value of an SEH filter or a vectored handler). */
public enum ExceptionDisposition {
    /** EXCEPTION_CONTINUE_EXECUTION (-1): resume at the (possibly edited) context; a faulting access is retried. */
    CONTINUE_EXECUTION,
    /** EXCEPTION_CONTINUE_SEARCH (0): let the next handler look at it. */
    CONTINUE_SEARCH,
    /**
     * EXCEPTION_EXECUTE_HANDLER (1): the exception is handled by this frame; the guest unwinds to it (the
     * {@link GuestApi#tryExcept} returns false, {@link GuestApi#raiseException} returns). Vectored handlers may not
     * return it; from them it counts as CONTINUE_SEARCH.
     */
    EXECUTE_HANDLER
}
