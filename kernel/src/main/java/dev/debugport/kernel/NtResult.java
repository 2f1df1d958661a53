package dev.debugport.kernel;

import dev.debugport.nt.NtStatus;

/**
 * An NTSTATUS together with the object a kernel-internal routine produced (null unless the status is a success).
 * Internal routines return this instead of throwing, so no Java exception escapes the NT layer.
 */
public record NtResult<T>(NtStatus status, T value) {
    public static <T> NtResult<T> ok(T value) {
        return new NtResult<>(NtStatus.STATUS_SUCCESS, value);
    }

    public static <T> NtResult<T> fail(NtStatus status) {
        return new NtResult<>(status, null);
    }

    public boolean isSuccess() {
        return status.isSuccess();
    }
}
