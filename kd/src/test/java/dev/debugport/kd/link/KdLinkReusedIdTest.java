package dev.debugport.kd.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdControlPacket;
import dev.debugport.kd.codec.KdDataPacket;
import dev.debugport.kd.codec.KdPacketType;
import dev.debugport.kd.link.KdLinkEvent.FailureReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A target gives a DEBUG_IO packet up after one ACK timeout, but the host did receive it (its ACK came late): the
 * target's next packet reuses the id. The host must deliver it (different bytes), yet still drop a real repeat.
 */
class KdLinkReusedIdTest {
    private static final int DEBUG_IO = KdPacketType.PACKET_TYPE_KD_DEBUG_IO.value();
    private static final int STATE_CHANGE = KdPacketType.PACKET_TYPE_KD_STATE_CHANGE64.value();

    @Test
    void aHostDeliversAPacketThatReusesTheIdOfOneTheTargetGaveUp() {
        KdLinkState target = KdLinkState.create(KdLinkRole.TARGET);
        KdLinkState host = KdLinkState.create(KdLinkRole.HOST);
        target.receive(KdControlPacket.reset(), 0); // ids from 0x80800000
        target.drainOutbound();
        target.drainEvents();

        target.submit(DEBUG_IO, ByteString.latin1("print"), 0);
        KdDataPacket print = (KdDataPacket) target.drainOutbound().getFirst();
        target.tick(1000); // no ACK in time: the print is given up, the id is not advanced
        assertEquals(FailureReason.DEBUG_IO_NOT_ACKNOWLEDGED,
                ((KdLinkEvent.SendFailed) target.drainEvents().stream()
                        .filter(e -> e instanceof KdLinkEvent.SendFailed).findFirst().orElseThrow()).reason());

        host.receive(print, 1000); // ... but it did arrive
        target.submit(STATE_CHANGE, ByteString.latin1("stop"), 1001);
        KdDataPacket stop = (KdDataPacket) target.drainOutbound().getFirst();
        assertEquals(print.packetId(), stop.packetId(), "the target reused the id");
        host.receive(stop, 1001);
        host.receive(stop, 1002); // a real repeat (the target missed the ACK)
        List<KdDataPacket> delivered = host.drainEvents().stream()
                .filter(e -> e instanceof KdLinkEvent.PacketReceived)
                .map(e -> ((KdLinkEvent.PacketReceived) e).packet()).toList();
        assertEquals(List.of(print, stop), delivered);
    }
}
