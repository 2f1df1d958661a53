package dev.debugport.kd.link;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KdReceiveFilterTest {

    @Test
    void targetExpectsExactlyRemotePacketId() {
        KdReceiveFilter f = KdReceiveFilter.forTarget();
        assertFalse(f.accept(0x80800001));
        assertTrue(f.accept(0x80800000));
        assertFalse(f.accept(0x80800000));
        assertTrue(f.accept(0x80800001));
        f.reset();
        assertTrue(f.accept(0x80800000));
    }

    @Test
    void hostLearnsTheFirstIdAfterAReset() {
        KdReceiveFilter f = KdReceiveFilter.forHost();
        assertTrue(f.accept(0x80800001), "xen-kdd keeps its ids across RESET");
        assertFalse(f.accept(0x80800001));
        assertTrue(f.accept(0x80800000));
        assertTrue(f.accept(0x80800800), "SYNC: a restarted target");
        assertFalse(f.accept(0x80800800), "but not the same SYNC packet twice");
        assertTrue(f.accept(0x80800001));
        f.reset();
        assertTrue(f.accept(0x80800001));
    }
}
