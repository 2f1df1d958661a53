package dev.debugport.kd.link;

import dev.debugport.kd.codec.KdFrame;
import dev.debugport.kd.codec.KdFrameDecoder;
import dev.debugport.kd.codec.KdFrameEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Two {@link KdLinkState}s joined by a lossy line and a virtual clock: deterministic for a given seed,
 * no threads, no sleeping. The line is "idle" whenever everything written has been read, which is when
 * partial frames are abandoned; when nothing is in flight the clock jumps to the next timer.
 */
final class LinkSimulation {

    final KdLinkState host;
    final KdLinkState target;
    private final KdFrameDecoder hostDecoder = new KdFrameDecoder();
    private final KdFrameDecoder targetDecoder = new KdFrameDecoder();
    private final LossModel hostToTarget;
    private final LossModel targetToHost;
    final List<KdLinkEvent> hostEvents = new ArrayList<>();
    final List<KdLinkEvent> targetEvents = new ArrayList<>();
    long now;

    LinkSimulation(KdLinkConfig hostConfig, KdLinkConfig targetConfig, LossModel hostToTarget, LossModel targetToHost) {
        this.host = new KdLinkState(KdLinkRole.HOST, hostConfig);
        this.target = new KdLinkState(KdLinkRole.TARGET, targetConfig);
        this.hostToTarget = hostToTarget;
        this.targetToHost = targetToHost;
    }

    /** Moves every pending frame across the line once, then advances the clock if nothing moved. */
    void step() {
        boolean moved = transfer(host, hostToTarget, targetDecoder, target);
        moved |= transfer(target, targetToHost, hostDecoder, host);
        targetDecoder.abandonPartialFrame(d -> target.receive(d, now));
        hostDecoder.abandonPartialFrame(d -> host.receive(d, now));
        hostEvents.addAll(host.drainEvents());
        targetEvents.addAll(target.drainEvents());
        if (!moved && !host.hasOutbound() && !target.hasOutbound()) {
            long next = Math.min(host.nextDeadlineMillis(), target.nextDeadlineMillis());
            now = next == Long.MAX_VALUE ? now + 1 : Math.max(now + 1, next);
            host.tick(now);
            target.tick(now);
        }
    }

    private boolean transfer(KdLinkState from, LossModel line, KdFrameDecoder decoder, KdLinkState to) {
        List<KdFrame> frames = from.drainOutbound();
        for (KdFrame frame : frames) {
            for (byte[] chunk : line.apply(KdFrameEncoder.encode(frame))) {
                decoder.decode(chunk, 0, chunk.length, d -> to.receive(d, now));
            }
        }
        return !frames.isEmpty();
    }
}
