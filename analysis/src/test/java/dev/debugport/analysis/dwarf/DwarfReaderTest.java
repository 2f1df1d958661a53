package dev.debugport.analysis.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The LEB128 forms of {@link DwarfReader}, with the examples of the DWARF 5 standard (section 7.6) and edges. */
class DwarfReaderTest {

    private static DwarfReader reader(int... bytes) {
        byte[] data = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            data[i] = (byte) bytes[i];
        }
        return new DwarfReader(data, 0, 0, data.length);
    }

    @Test
    void unsignedLeb128() {
        assertEquals(2, reader(0x02).uleb128());
        assertEquals(127, reader(0x7F).uleb128());
        assertEquals(128, reader(0x80, 0x01).uleb128());
        assertEquals(12857, reader(0xB9, 0x64).uleb128());
        assertEquals(624485, reader(0xE5, 0x8E, 0x26).uleb128());
    }

    @Test
    void signedLeb128ExtendsTheSignOfTheLastByte() {
        assertEquals(2, reader(0x02).sleb128());
        assertEquals(-2, reader(0x7E).sleb128());
        assertEquals(127, reader(0xFF, 0x00).sleb128());
        assertEquals(-127, reader(0x81, 0x7F).sleb128());
        assertEquals(-128, reader(0x80, 0x7F).sleb128());
        assertEquals(-123456, reader(0xC0, 0xBB, 0x78).sleb128());
    }

    @Test
    void tenByteValuesKeepTheirLow64Bits() {
        assertEquals(Long.MIN_VALUE, reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F).sleb128());
        assertEquals(-1L, reader(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01).uleb128());
    }

    @Test
    void readsAfterTheValueContinueBehindIt() {
        DwarfReader r = reader(0x80, 0x7F, 0x05);
        assertEquals(-128, r.sleb128());
        assertEquals(5, r.u8());
    }

    @Test
    void aValueCutShortIsMalformed() {
        assertThrows(MalformedDwarfException.class, () -> reader(0x80).sleb128());
    }
}
