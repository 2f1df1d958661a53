package dev.debugport.kd.host;

/** A host operation failed: the target did not answer, went away, or refused. The message is fit for the user. */
public final class KdHostException extends RuntimeException {
    public KdHostException(String message) {
        super(message);
    }

    public KdHostException(String message, Throwable cause) {
        super(message, cause);
    }
}
