package dev.debugport.analysis.pe;

import dev.debugport.analysis.MemoryReader;
import dev.debugport.analysis.MemoryWords;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the export directory of a PE image mapped in a debuggee (what RtlImageDirectoryEntryToData with
 * IMAGE_DIRECTORY_ENTRY_EXPORT finds, then the three tables of IMAGE_EXPORT_DIRECTORY), from memory, as a debugger
 * without symbol files names a DLL's routines.
 *
 * <pre>
 * IMAGE_DOS_HEADER: e_magic "MZ" @0, e_lfanew @0x3C
 * IMAGE_NT_HEADERS: "PE\0\0" @0, FileHeader (20 bytes) @4, OptionalHeader @0x18:
 *   Magic @0 (0x20B PE32+, 0x10B PE32), SizeOfImage @0x38,
 *   NumberOfRvaAndSizes @0x6C / @0x5C, DataDirectory[] @0x70 / @0x60 (PE32+ / PE32), entry 0 = exports
 * IMAGE_EXPORT_DIRECTORY (40 bytes): Name @12, Base @16, NumberOfFunctions @20, NumberOfNames @24,
 *   AddressOfFunctions @28, AddressOfNames @32, AddressOfNameOrdinals @36 (RVAs)
 * </pre>
 *
 * Every RVA is checked against SizeOfImage and the counts are bounded, so a damaged or hostile header gives empty
 * rather than a long read.
 */
public final class PeExports {
    private static final int DOS_HEADER = 0x40;
    private static final int MAX_LFANEW = 0x1000;
    private static final int OPTIONAL_HEADER = 0x18;
    private static final int PE32_PLUS = 0x20B;
    private static final int PE32 = 0x10B;
    private static final int EXPORT_DIRECTORY = 40;
    private static final int MAX_EXPORTS = 0x10000;
    private static final int MAX_NAME = 256;

    private PeExports() {
    }

    /** True if the memory at {@code base} holds a PE image: "MZ", then "PE\0\0" at e_lfanew. */
    public static boolean isPeImage(MemoryReader memory, long base) {
        return ntHeaders(memory, base).isPresent();
    }

    /**
     * The exports of the PE image at {@code base}: empty if there is no readable PE image there, an empty list if it
     * exports nothing. Forwarders (an RVA inside the export directory, naming another DLL's routine) are left out:
     * no code of this image lies there.
     */
    public static Optional<List<PeExport>> read(MemoryReader memory, long base) {
        Optional<ByteBuffer> nt = ntHeaders(memory, base);
        if (nt.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer h = nt.get();
        int magic = Short.toUnsignedInt(h.getShort(OPTIONAL_HEADER));
        long sizeOfImage = Integer.toUnsignedLong(h.getInt(OPTIONAL_HEADER + 0x38));
        int countAt = OPTIONAL_HEADER + (magic == PE32_PLUS ? 0x6C : 0x5C);
        int directoryAt = OPTIONAL_HEADER + (magic == PE32_PLUS ? 0x70 : 0x60);
        if (h.getInt(countAt) == 0) {
            return Optional.of(List.of());
        }
        long exportRva = Integer.toUnsignedLong(h.getInt(directoryAt));
        long exportSize = Integer.toUnsignedLong(h.getInt(directoryAt + 4));
        if (exportRva == 0 || exportSize < EXPORT_DIRECTORY || exportRva + exportSize > sizeOfImage) {
            return Optional.of(List.of());
        }
        return readDirectory(memory, base, sizeOfImage, exportRva, exportSize);
    }

    private static Optional<List<PeExport>> readDirectory(MemoryReader memory, long base, long sizeOfImage, long rva, long size) {
        Optional<byte[]> raw = MemoryWords.read(memory, base + rva, EXPORT_DIRECTORY);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer d = MemoryWords.le(raw.get());
        int ordinalBase = d.getInt(16);
        int functions = d.getInt(20);
        int names = d.getInt(24);
        long functionsRva = Integer.toUnsignedLong(d.getInt(28));
        long namesRva = Integer.toUnsignedLong(d.getInt(32));
        long ordinalsRva = Integer.toUnsignedLong(d.getInt(36));
        if (functions < 0 || functions > MAX_EXPORTS || names < 0 || names > functions
                || functionsRva + 4L * functions > sizeOfImage || namesRva + 4L * names > sizeOfImage
                || ordinalsRva + 2L * names > sizeOfImage) {
            return Optional.empty();
        }
        Optional<byte[]> functionTable = MemoryWords.read(memory, base + functionsRva, 4 * functions);
        Optional<byte[]> nameTable = MemoryWords.read(memory, base + namesRva, 4 * names);
        Optional<byte[]> ordinalTable = MemoryWords.read(memory, base + ordinalsRva, 2 * names);
        if (functionTable.isEmpty() || nameTable.isEmpty() || ordinalTable.isEmpty()) {
            return Optional.empty();
        }
        String[] nameOf = new String[functions];
        ByteBuffer nameRvas = MemoryWords.le(nameTable.get());
        ByteBuffer nameOrdinals = MemoryWords.le(ordinalTable.get());
        for (int i = 0; i < names; i++) {
            int index = Short.toUnsignedInt(nameOrdinals.getShort(2 * i));
            long nameRva = Integer.toUnsignedLong(nameRvas.getInt(4 * i));
            if (index < functions && nameRva < sizeOfImage && nameOf[index] == null) {
                nameOf[index] = cString(memory, base + nameRva);
            }
        }
        ByteBuffer functionRvas = MemoryWords.le(functionTable.get());
        List<PeExport> exports = new ArrayList<>();
        for (int i = 0; i < functions; i++) {
            long functionRva = Integer.toUnsignedLong(functionRvas.getInt(4 * i));
            boolean forwarder = functionRva >= rva && functionRva < rva + size;
            if (functionRva == 0 || forwarder || functionRva >= sizeOfImage) {
                continue;
            }
            int ordinal = ordinalBase + i;
            String name = nameOf[i] == null || nameOf[i].isEmpty() ? "Ordinal" + ordinal : nameOf[i];
            exports.add(new PeExport(name, ordinal, functionRva));
        }
        return Optional.of(List.copyOf(exports));
    }

    private static Optional<ByteBuffer> ntHeaders(MemoryReader memory, long base) {
        Optional<byte[]> dos = MemoryWords.read(memory, base, DOS_HEADER);
        if (dos.isEmpty() || dos.get()[0] != 'M' || dos.get()[1] != 'Z') {
            return Optional.empty();
        }
        int lfanew = MemoryWords.le(dos.get()).getInt(0x3C);
        if (lfanew < DOS_HEADER || lfanew > MAX_LFANEW) {
            return Optional.empty();
        }
        Optional<byte[]> nt = MemoryWords.read(memory, base + lfanew, OPTIONAL_HEADER + 0x70 + 8);
        if (nt.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer h = MemoryWords.le(nt.get());
        int magic = Short.toUnsignedInt(h.getShort(OPTIONAL_HEADER));
        boolean signature = h.getInt(0) == 0x00004550;
        return signature && (magic == PE32_PLUS || magic == PE32) ? Optional.of(h) : Optional.empty();
    }

    /** A NUL-terminated ASCII name of at most {@value #MAX_NAME} bytes (cut there if longer). */
    private static String cString(MemoryReader memory, long address) {
        byte[] b = new byte[MAX_NAME];
        int n = Math.max(0, memory.read(address, b, 0, MAX_NAME));
        int end = 0;
        while (end < n && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.ISO_8859_1);
    }
}
