package dev.debugport.analysis.dwarf;

/**
 * DWARF bytes that cannot be read: truncated, inconsistent, or in a form these readers do not handle. Callers turn it
 * into "no unwind information here" or "no parameters for this frame"; it never reaches a command.
 */
public final class MalformedDwarfException extends RuntimeException {
    public MalformedDwarfException(String message) {
        super(message, null, false, false);
    }
}
