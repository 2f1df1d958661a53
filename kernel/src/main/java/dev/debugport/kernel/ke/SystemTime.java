package dev.debugport.kernel.ke;

/** KeQuerySystemTime: the system time in 100 ns units since 1601-01-01 (the NT epoch). */
public final class SystemTime {
    /** 100 ns intervals between 1601-01-01 and 1970-01-01. */
    private static final long EPOCH_DIFFERENCE = 116_444_736_000_000_000L;

    private SystemTime() {
    }

    public static long now() {
        java.time.Instant i = java.time.Instant.now();
        return EPOCH_DIFFERENCE + i.getEpochSecond() * 10_000_000L + i.getNano() / 100;
    }

    /** A relative NT timeout (negative, 100 ns units) for the given milliseconds. */
    public static long relativeMillis(long millis) {
        return -millis * 10_000L;
    }
}
