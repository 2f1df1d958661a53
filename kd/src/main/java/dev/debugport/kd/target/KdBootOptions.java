package dev.debugport.kd.target;

/**
 * The boot options KdInitSystem reads ({@code spec/kd.md} §8.1), as {@code boot.ini} / BCD spell them.
 */
public enum KdBootOptions {
    /** No debug option at all: KD unavailable for good (KdPitchDebugger = TRUE). */
    NONE,
    /** {@code /NODEBUG}: KD unavailable for good. */
    NODEBUG,
    /** {@code /CRASHDEBUG}: KD stays off (KdPitchDebugger = FALSE) until a bugcheck would enable it. */
    CRASHDEBUG,
    /** {@code /DEBUG}: KD enabled. */
    DEBUG,
    /** {@code /DEBUG=AUTOENABLE}: enabled, then disabled; the first exception KD would see turns it back on. */
    DEBUG_AUTOENABLE,
    /** {@code /DEBUG=DISABLE}: enabled, then disabled (KdEnableDebugger can turn it on). */
    DEBUG_DISABLE
}
