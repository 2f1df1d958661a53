package dev.debugport.analysis.pe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.analysis.MemoryReader;
import dev.debugport.analysis.ModuleImage;
import dev.debugport.analysis.symbols.ProcessSymbols;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Export directories of PE images built byte by byte here (PE32+ and PE32), read through a MemoryReader. */
class PeExportsTest {
    private static final long BASE = 0x1_8000_0000L;
    private static final int SIZE = 0x3000;

    /** A PE image of {@link #SIZE} bytes with an export directory at 0x1000. */
    private static byte[] image(boolean pe32Plus) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 'M').put(1, (byte) 'Z').putInt(0x3C, 0x100);
        b.putInt(0x100, 0x4550);
        int oh = 0x118;
        b.putShort(oh, (short) (pe32Plus ? 0x20B : 0x10B));
        b.putInt(oh + 0x38, SIZE);
        int dirs = oh + (pe32Plus ? 0x70 : 0x60);
        b.putInt(dirs - 4, 16);
        b.putInt(dirs, 0x1000).putInt(dirs + 4, 0x200);
        // IMAGE_EXPORT_DIRECTORY: Base 5, four functions, three named (one export by ordinal only, one forwarder)
        int d = 0x1000;
        b.putInt(d + 12, 0x1100).putInt(d + 16, 5).putInt(d + 20, 4).putInt(d + 24, 3);
        b.putInt(d + 28, 0x1040).putInt(d + 32, 0x1060).putInt(d + 36, 0x1080);
        b.putInt(0x1040, 0x2000).putInt(0x1044, 0x2010).putInt(0x1048, 0x1180).putInt(0x104C, 0x2020);
        b.putInt(0x1060, 0x1120).putInt(0x1064, 0x1130).putInt(0x1068, 0x1140);
        b.putShort(0x1080, (short) 1).putShort(0x1082, (short) 0).putShort(0x1084, (short) 2);
        put(b, 0x1100, "test.dll");
        put(b, 0x1120, "Beta");
        put(b, 0x1130, "Alpha");
        put(b, 0x1140, "Forwarded");
        put(b, 0x1180, "other.Function");
        return b.array();
    }

    private static void put(ByteBuffer b, int at, String s) {
        b.put(at, s.getBytes(StandardCharsets.US_ASCII));
    }

    private static MemoryReader memory(byte[] image) {
        return (address, buffer, offset, length) -> {
            long at = address - BASE;
            if (at < 0 || at >= image.length) {
                return 0;
            }
            int n = (int) Math.min(length, image.length - at);
            System.arraycopy(image, (int) at, buffer, offset, n);
            return n;
        };
    }

    @Test
    void namesOrdinalsAndRvasWithoutForwarders() {
        for (boolean pe32Plus : new boolean[] {true, false}) {
            List<PeExport> exports = PeExports.read(memory(image(pe32Plus)), BASE).orElseThrow();
            assertEquals(List.of(new PeExport("Alpha", 5, 0x2000), new PeExport("Beta", 6, 0x2010), new PeExport("Ordinal8", 8, 0x2020)),
                    exports, pe32Plus ? "PE32+" : "PE32");
        }
    }

    @Test
    void processSymbolsNameThePeImage() {
        ProcessSymbols symbols = new ProcessSymbols(memory(image(true)));
        symbols.moduleLoaded(ModuleImage.of("C:\\Windows\\System32\\test.dll", BASE, BASE + SIZE));
        assertEquals(OptionalLong.of(BASE + 0x2010), symbols.resolve("test!Beta"));
        assertEquals("test!Alpha+0x4", symbols.describe(BASE + 0x2004));
        assertEquals("test!Ordinal8", symbols.describe(BASE + 0x2020));
        assertEquals("test+0x100", symbols.describe(BASE + 0x100));
        assertEquals(0, symbols.symbolAt(BASE + 0x2000).orElseThrow().size(), "exports carry no size");
    }

    @Test
    void damagedHeadersGiveEmpty() {
        byte[] noMz = image(true);
        noMz[0] = 'X';
        assertFalse(PeExports.isPeImage(memory(noMz), BASE));
        assertEquals(Optional.empty(), PeExports.read(memory(noMz), BASE));

        byte[] farLfanew = image(true);
        ByteBuffer.wrap(farLfanew).order(ByteOrder.LITTLE_ENDIAN).putInt(0x3C, 0x7FFF_0000);
        assertEquals(Optional.empty(), PeExports.read(memory(farLfanew), BASE));

        byte[] hugeCount = image(true);
        ByteBuffer.wrap(hugeCount).order(ByteOrder.LITTLE_ENDIAN).putInt(0x1000 + 20, 0x7FFF_FFFF);
        assertEquals(Optional.empty(), PeExports.read(memory(hugeCount), BASE));

        byte[] tablesOutside = image(true);
        ByteBuffer.wrap(tablesOutside).order(ByteOrder.LITTLE_ENDIAN).putInt(0x1000 + 28, SIZE - 4);
        assertEquals(Optional.empty(), PeExports.read(memory(tablesOutside), BASE));

        byte[] noExports = image(true);
        ByteBuffer.wrap(noExports).order(ByteOrder.LITTLE_ENDIAN).putInt(0x118 + 0x70, 0);
        assertTrue(PeExports.isPeImage(memory(noExports), BASE));
        assertEquals(Optional.of(List.of()), PeExports.read(memory(noExports), BASE));

        assertEquals(Optional.empty(), PeExports.read((a, b, o, l) -> 0, BASE), "unreadable memory");
    }
}
