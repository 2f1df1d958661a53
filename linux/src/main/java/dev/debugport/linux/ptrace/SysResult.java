package dev.debugport.linux.ptrace;

import java.util.Objects;
import java.util.function.Function;

/**
 * The result of a system call: a value, or an {@link Errno} with what was being done. Expected failures (ESRCH for a
 * thread that just died, EFAULT for unmapped memory, ENOENT for a missing program) are values, never exceptions.
 *
 * @param <T> the value type ({@code Void} for calls that only succeed or fail)
 */
public sealed interface SysResult<T> {
    /** A success. {@code value} is null for {@code SysResult<Void>}. */
    record Ok<T>(T value) implements SysResult<T> {
    }

    /**
     * A failure.
     *
     * @param errno the error number
     * @param what  the call and its arguments, for messages ("PTRACE_GETREGS 1234")
     */
    record Err<T>(Errno errno, String what) implements SysResult<T> {
        public Err {
            Objects.requireNonNull(errno);
            Objects.requireNonNull(what);
        }

        /** "what: ENAME (message)". */
        public String message() {
            return what + ": " + errno.name() + " (" + errno.message() + ")";
        }
    }

    static <T> SysResult<T> ok(T value) {
        return new Ok<>(value);
    }

    static SysResult<Void> ok() {
        return new Ok<>(null);
    }

    static <T> SysResult<T> err(Errno errno, String what) {
        return new Err<>(errno, what);
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** True when this failed with {@code errno}. */
    default boolean failedWith(Errno errno) {
        return this instanceof Err<T> e && e.errno().equals(errno);
    }

    /** The error number, or null on success. */
    default Errno errnoOrNull() {
        return this instanceof Err<T> e ? e.errno() : null;
    }

    /** The value; throws {@link IllegalStateException} on failure (for callers that treat failure as a bug). */
    default T orElseThrow() {
        return switch (this) {
            case Ok<T> ok -> ok.value();
            case Err<T> err -> throw new IllegalStateException(err.message());
        };
    }

    default T orElse(T other) {
        return this instanceof Ok<T> ok ? ok.value() : other;
    }

    default <U> SysResult<U> map(Function<? super T, ? extends U> f) {
        return switch (this) {
            case Ok<T> ok -> new Ok<>(f.apply(ok.value()));
            case Err<T> err -> new Err<>(err.errno(), err.what());
        };
    }

    default <U> SysResult<U> flatMap(Function<? super T, SysResult<U>> f) {
        return switch (this) {
            case Ok<T> ok -> f.apply(ok.value());
            case Err<T> err -> new Err<>(err.errno(), err.what());
        };
    }

    /** Same failure, retyped. Only valid on an {@link Err}. */
    default <U> SysResult<U> castErr() {
        if (this instanceof Err<T> err) {
            return new Err<>(err.errno(), err.what());
        }
        throw new IllegalStateException("not an error: " + this);
    }
}
