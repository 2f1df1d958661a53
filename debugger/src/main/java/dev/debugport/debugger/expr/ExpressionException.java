package dev.debugport.debugger.expr;

/** An expression that cannot be evaluated; the message is the one line the debugger prints. */
public final class ExpressionException extends Exception {
    public ExpressionException(String message) {
        super(message, null, false, false);
    }
}
