package dev.debugport.linux.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debugport.kernel.ps.Teb;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ShadowMemoryTest {
    private static final int PID = 4242;

    private static long readLong(ShadowMemory shadow, long address) {
        byte[] b = new byte[8];
        assertEquals(8, shadow.read(address, b, 0, 8));
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void aTebNamesItselfItsThreadAndThePeb() {
        ShadowMemory shadow = new ShadowMemory(PID);
        long first = shadow.allocateTeb(100);
        long second = shadow.allocateTeb(101);
        assertEquals(first + ShadowMemory.TEB_SIZE, second);
        for (long[] teb : new long[][] {{first, 100}, {second, 101}}) {
            assertEquals(teb[0], readLong(shadow, teb[0] + Teb.SELF_OFFSET), "NtTib.Self");
            assertEquals(PID, readLong(shadow, teb[0] + Teb.CLIENT_ID_OFFSET), "ClientId.UniqueProcess");
            assertEquals(teb[1], readLong(shadow, teb[0] + Teb.CLIENT_ID_OFFSET + 8), "ClientId.UniqueThread");
            assertEquals(ShadowMemory.PEB, readLong(shadow, teb[0] + Teb.PEB_OFFSET), "ProcessEnvironmentBlock");
        }
    }

    @Test
    void writesToATebStayAndTheRestIsZero() {
        ShadowMemory shadow = new ShadowMemory(PID);
        long teb = shadow.allocateTeb(7);
        byte[] text = {'h', 0, 'i', 0};
        assertEquals(4, shadow.write(teb + Teb.STATIC_UNICODE_BUFFER_OFFSET, text, 0, 4));
        assertEquals(4, shadow.write(teb + Teb.CLIENT_ID_OFFSET + 8, new byte[] {9, 0, 0, 0}, 0, 4));
        byte[] back = new byte[4];
        shadow.read(teb + Teb.STATIC_UNICODE_BUFFER_OFFSET, back, 0, 4);
        assertArrayEquals(text, back);
        assertEquals(9, readLong(shadow, teb + Teb.CLIENT_ID_OFFSET + 8), "a debugger's write wins");
        assertEquals(0, readLong(shadow, teb + Teb.ARBITRARY_USER_POINTER_OFFSET));
    }

    @Test
    void aReadStopsAtTheFirstTebNotReserved() {
        ShadowMemory shadow = new ShadowMemory(PID);
        long teb = shadow.allocateTeb(1);
        byte[] b = new byte[16];
        assertEquals(8, shadow.read(teb + ShadowMemory.TEB_SIZE - 8, b, 0, 16), "up to the end of the only TEB");
        assertEquals(0, shadow.read(teb + ShadowMemory.TEB_SIZE, b, 0, 16), "none reserved there");
    }
}
