package dev.debugport.sim;

/**
 * A guest exception handler: an SEH filter ({@link GuestApi#tryExcept}, the handler of
 * {@link GuestApi#raiseException}) or a vectored handler ({@link GuestApi#addVectoredHandler}). It runs on the guest
 * thread that raised the exception and may call the guest API.
 */
@FunctionalInterface
public interface GuestHandler {
    ExceptionDisposition handle(ExceptionPointers pointers);

    /** {@code __except(EXCEPTION_EXECUTE_HANDLER)}: a catch-all frame. */
    GuestHandler EXECUTE_HANDLER = p -> ExceptionDisposition.EXECUTE_HANDLER;

    /** A handler that declines everything. */
    GuestHandler CONTINUE_SEARCH = p -> ExceptionDisposition.CONTINUE_SEARCH;
}
