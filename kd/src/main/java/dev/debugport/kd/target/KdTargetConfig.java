package dev.debugport.kd.target;

import dev.debugport.kd.link.KdLinkConfig;
import java.util.Objects;

/**
 * How a {@link KdTarget} is set up.
 *
 * @param bootOptions the debug boot options KdInitSystem obeys
 * @param linkConfig the transport's timeouts and retries (the spec's: 100 ms per ACK, 20 retries)
 * @param stopOnException NtGlobalFlag's FLG_STOP_ON_EXCEPTION: report every first-chance exception (not only
 *                        breakpoints, single steps and assertion failures)
 * @param rebootHandler what DbgKdRebootApi does to the machine besides restarting KD (the embedder restarts its
 *                      programs, say); null: only KD restarts
 * @param readLimit the most a ReadVirtualMemory reply carries: 3944 (PACKET_MAX_SIZE minus the header), or 1992
 *                  for radare2, which drops packets larger than 2048 bytes ({@code spec/kd.md} §6.4)
 */
public record KdTargetConfig(KdBootOptions bootOptions, KdLinkConfig linkConfig, boolean stopOnException,
                             Runnable rebootHandler, int readLimit) {

    /** The read limit that keeps every reply within radare2's 2048-byte packets. */
    public static final int RADARE2_READ_LIMIT = 2048 - 56;

    /** Checks the required fields. */
    public KdTargetConfig {
        Objects.requireNonNull(bootOptions, "bootOptions");
        Objects.requireNonNull(linkConfig, "linkConfig");
        if (readLimit < 1 || readLimit > KdApi.MAX_TRANSFER) {
            throw new IllegalArgumentException("readLimit must be 1.." + KdApi.MAX_TRANSFER + ": " + readLimit);
        }
    }

    /** @return {@code /DEBUG} with the spec's link timing, no FLG_STOP_ON_EXCEPTION, no reboot handler */
    public static KdTargetConfig defaults() {
        return new KdTargetConfig(KdBootOptions.DEBUG, KdLinkConfig.forTarget(), false, null, KdApi.MAX_TRANSFER);
    }

    public KdTargetConfig withBootOptions(KdBootOptions options) {
        return new KdTargetConfig(options, linkConfig, stopOnException, rebootHandler, readLimit);
    }

    public KdTargetConfig withLinkConfig(KdLinkConfig config) {
        return new KdTargetConfig(bootOptions, config, stopOnException, rebootHandler, readLimit);
    }

    public KdTargetConfig withStopOnException(boolean stop) {
        return new KdTargetConfig(bootOptions, linkConfig, stop, rebootHandler, readLimit);
    }

    public KdTargetConfig withRebootHandler(Runnable handler) {
        return new KdTargetConfig(bootOptions, linkConfig, stopOnException, handler, readLimit);
    }

    /** @return a copy whose read replies carry at most {@code limit} bytes */
    public KdTargetConfig withReadLimit(int limit) {
        return new KdTargetConfig(bootOptions, linkConfig, stopOnException, rebootHandler, limit);
    }
}
