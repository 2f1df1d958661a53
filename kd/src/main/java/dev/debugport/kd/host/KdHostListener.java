package dev.debugport.kd.host;

/**
 * What a {@link KdHostClient} reports as it arrives, on its receiving thread: stops, DbgPrint output, prompts. The
 * methods must not block for long, except {@link #onPrompt}, which the target waits for anyway.
 */
public interface KdHostListener {

    /** A listener that ignores everything and answers prompts with an empty string. */
    KdHostListener NONE = new KdHostListener() {
    };

    /**
     * The target stopped. Called before {@link KdHostClient#waitForStateChange} hands the same stop to a waiting
     * thread, so a listener that leaves some stops to their waiter (a step's) can tell them apart from a flag the
     * waiter set before resuming the target: the waiter cannot move on to its next command while this runs.
     */
    default void onStateChange(KdStateChange stop) {
    }

    /** DbgPrint output (DEBUG_IO PrintString), exactly as sent: it may lack a final newline. */
    default void onPrint(String text) {
    }

    /**
     * DbgPrompt (DEBUG_IO GetString).
     *
     * @return the answer (cut to {@code maxLength})
     */
    default String onPrompt(String prompt, int maxLength) {
        return "";
    }

    /** The connection is gone. */
    default void onDisconnect() {
    }
}
