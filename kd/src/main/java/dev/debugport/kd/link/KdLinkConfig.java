package dev.debugport.kd.link;

/**
 * The timing and retry parameters of a {@link KdLinkState} ({@code spec/kd.md} §5.1, §5.4).
 *
 * @param ackTimeoutMillis how long to wait for the ACK of a data packet before sending it again
 *                         (kdcom's wait for an ACK ends with its per-byte timeout; §5.4 suggests ~100 ms)
 * @param maxTimeouts      the timeouts after which an unacknowledged packet is given up
 *                         ({@code KdpDefaultRetries} = 20); the peer is then considered absent
 * @param resetIntervalMillis how often a host repeats its RESET while no RESET answers it
 *                         (WinDbg "keeps sending RESET periodically"; the period is ours)
 * @param interByteTimeoutMillis how long the line may stay silent inside a frame before the frame is
 *                         abandoned (§5.4: ~100 ms); used by {@link KdLinkEndpoint}
 * @param dropDebugIoOnTimeout whether a {@code PACKET_TYPE_KD_DEBUG_IO} packet is dropped at its first
 *                         timeout instead of being retried (the target rule that keeps DbgPrint from
 *                         hanging a machine with no debugger)
 */
public record KdLinkConfig(long ackTimeoutMillis, int maxTimeouts, long resetIntervalMillis,
                           long interByteTimeoutMillis, boolean dropDebugIoOnTimeout) {

    /** The spec's ACK timeout in milliseconds. */
    public static final long DEFAULT_ACK_TIMEOUT_MILLIS = 100;
    /** {@code KdpDefaultRetries}. */
    public static final int DEFAULT_MAX_TIMEOUTS = 20;
    /** The default period of a host's RESET. */
    public static final long DEFAULT_RESET_INTERVAL_MILLIS = 1000;
    /** The spec's per-byte timeout inside a packet in milliseconds. */
    public static final long DEFAULT_INTER_BYTE_TIMEOUT_MILLIS = 100;

    /** Validates the values. */
    public KdLinkConfig {
        if (ackTimeoutMillis <= 0 || resetIntervalMillis <= 0 || interByteTimeoutMillis <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxTimeouts < 1) {
            throw new IllegalArgumentException("maxTimeouts must be at least 1: " + maxTimeouts);
        }
    }

    /** @return the spec's values for a target: 100 ms, 20 timeouts, DEBUG_IO dropped at the first timeout */
    public static KdLinkConfig forTarget() {
        return new KdLinkConfig(DEFAULT_ACK_TIMEOUT_MILLIS, DEFAULT_MAX_TIMEOUTS, DEFAULT_RESET_INTERVAL_MILLIS,
                DEFAULT_INTER_BYTE_TIMEOUT_MILLIS, true);
    }

    /** @return the same values for a host, which retries every packet type */
    public static KdLinkConfig forHost() {
        return new KdLinkConfig(DEFAULT_ACK_TIMEOUT_MILLIS, DEFAULT_MAX_TIMEOUTS, DEFAULT_RESET_INTERVAL_MILLIS,
                DEFAULT_INTER_BYTE_TIMEOUT_MILLIS, false);
    }

    /** @return the defaults of {@code role} */
    public static KdLinkConfig defaults(KdLinkRole role) {
        return role == KdLinkRole.TARGET ? forTarget() : forHost();
    }

    /** @return a copy with other timeouts (tests use short ones) */
    public KdLinkConfig withTimeouts(long ackTimeout, long resetInterval, long interByteTimeout) {
        return new KdLinkConfig(ackTimeout, maxTimeouts, resetInterval, interByteTimeout, dropDebugIoOnTimeout);
    }

    /** @return a copy with another retry limit */
    public KdLinkConfig withMaxTimeouts(int timeouts) {
        return new KdLinkConfig(ackTimeoutMillis, timeouts, resetIntervalMillis, interByteTimeoutMillis,
                dropDebugIoOnTimeout);
    }
}
