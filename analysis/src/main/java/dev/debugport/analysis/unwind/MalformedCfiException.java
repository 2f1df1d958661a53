package dev.debugport.analysis.unwind;

/** Call-frame information that cannot be read (truncated, or in a form this interpreter does not handle). */
final class MalformedCfiException extends RuntimeException {
    MalformedCfiException(String message) {
        super(message, null, false, false);
    }
}
