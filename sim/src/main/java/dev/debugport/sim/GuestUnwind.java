package dev.debugport.sim;

/**
 * Java control flow that unwinds guest code. None of these is an error the guest should see; guest code must not
 * catch {@link Error}. They carry no stack trace (they are thrown often and are never reported).
 */
abstract sealed class GuestUnwind extends Error permits GuestUnwind.Termination, GuestUnwind.ExitThread, GuestUnwind.SehUnwind {
    GuestUnwind() {
        super(null, null, false, false);
    }

    /** The thread was asked to terminate (NtTerminateThread/Process): unwind to the thread root, exit with the status set then. */
    static final class Termination extends GuestUnwind {
    }

    /** The guest called ExitThread (RtlExitUserThread). */
    static final class ExitThread extends GuestUnwind {
        private final int exitCode;

        ExitThread(int exitCode) {
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }

    /** An SEH filter returned EXECUTE_HANDLER: unwind to its frame (RtlUnwind to the __except block). */
    static final class SehUnwind extends GuestUnwind {
        private final Object frame;

        SehUnwind(Object frame) {
            this.frame = frame;
        }

        boolean targets(Object candidate) {
            return frame == candidate;
        }
    }
}
