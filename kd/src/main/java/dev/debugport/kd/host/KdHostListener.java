package dev.debugport.kd.host;

/**
 * What a {@link KdHostClient} reports as it arrives, on its receiving thread: stops, DbgPrint output, prompts. The
 * methods must not block for long, except {@link #onPrompt}, which the target waits for anyway.
 */
public interface KdHostListener {

    /** A listener that ignores everything and answers prompts with an empty string. */
    KdHostListener NONE = new KdHostListener() {
    };

    /** The target stopped. */
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
