package dev.debugport.kd.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import org.junit.jupiter.api.Test;

class Amd64ContextLayoutTest {

    private static Amd64Context sample() {
        Amd64Context c = Amd64Context.zero().withContextFlags(Amd64Context.CONTEXT_ALL);
        long v = 0x1111_0000_0000_0001L;
        for (Amd64Register r : Amd64Register.values()) {
            c = c.with(r, v);
            v += 0x0101_0101_0101_0101L;
        }
        return c;
    }

    @Test
    void offsetsFollowTheSpec() {
        assertEquals(0x78, Amd64ContextLayout.offsetOf(Amd64Register.RAX));
        assertEquals(0x98, Amd64ContextLayout.offsetOf(Amd64Register.RSP));
        assertEquals(0xB8, Amd64ContextLayout.offsetOf(Amd64Register.R8));
        assertEquals(0xF0, Amd64ContextLayout.offsetOf(Amd64Register.R15));
        assertEquals(0xF8, Amd64ContextLayout.offsetOf(Amd64Register.RIP));
        assertEquals(0x44, Amd64ContextLayout.offsetOf(Amd64Register.EFLAGS));
        assertEquals(0x38, Amd64ContextLayout.offsetOf(Amd64Register.CS));
        assertEquals(0x42, Amd64ContextLayout.offsetOf(Amd64Register.SS));
        assertEquals(0x70, Amd64ContextLayout.offsetOf(Amd64Register.DR7));
        assertEquals(KdArchitecture.AMD64.contextSize(), Amd64ContextLayout.SIZE);
    }

    @Test
    void roundTripsAndPlacesRip() {
        Amd64Context c = sample().withRip(0xFFFFF800_02A8F000L);
        ByteString image = Amd64ContextLayout.encode(c);
        assertEquals(1232, image.length());
        assertEquals(ByteString.hex("00 f0 a8 02 00 f8 ff ff"), image.substring(0xF8, 0x100));
        assertEquals(ByteString.hex("1f 00 10 00"), image.substring(0x30, 0x34));
        assertEquals(c, Amd64ContextLayout.decode(image).orElseThrow());
    }

    @Test
    void overlayKeepsTheUnmodelledBytes() {
        byte[] raw = new byte[1232];
        raw[0x100] = 0x7F; // FltSave
        raw[0x34] = 0x1F; // MxCsr
        ByteString image = Amd64ContextLayout.overlay(ByteString.of(raw), sample());
        assertEquals(0x7F, image.get(0x100));
        assertEquals(0x1F, image.get(0x34));
        assertEquals(sample(), Amd64ContextLayout.decode(image).orElseThrow());
        assertTrue(Amd64ContextLayout.decode(ByteString.zeros(716)).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Amd64ContextLayout.overlay(ByteString.zeros(10), sample()));
    }
}
