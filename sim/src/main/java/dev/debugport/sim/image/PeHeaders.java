package dev.debugport.sim.image;

import dev.debugport.kernel.ps.ImageInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds the first bytes of a simulated PE image: a DOS header pointing at an NT header whose FileHeader and
 * OptionalHeader agree with the {@link ImageInfo} (Machine, PointerToSymbolTable and NumberOfSymbols, which Dbgk
 * reports as debug info, AddressOfEntryPoint, ImageBase, SizeOfImage), and an export directory naming the addresses
 * the sim uses in that image ({@link SimExports}), so a debugger can name them. The same bytes are the start of the
 * image file and of the mapped view, so code that reads headers from either place finds consistent values.
 *
 * <pre>
 * 0x000  "MZ"                          IMAGE_DOS_HEADER.e_magic
 * 0x03C  0x00000080                    e_lfanew
 * 0x080  "PE\0\0"                      IMAGE_NT_HEADERS.Signature
 * 0x084  Machine, NumberOfSections, TimeDateStamp, PointerToSymbolTable, NumberOfSymbols,
 *        SizeOfOptionalHeader, Characteristics                      (IMAGE_FILE_HEADER, 20 bytes)
 * 0x098  Magic 0x20B (PE32+) or 0x10B (PE32), ..., AddressOfEntryPoint at +0x10,
 *        ImageBase at +0x18 (PE32+, 8 bytes) or +0x1C (PE32, 4 bytes), SizeOfImage at +0x38,
 *        NumberOfRvaAndSizes at +0x6C (PE32+) or +0x5C (PE32), then the 16 data directories (RVA, Size),
 *        entry 0 (IMAGE_DIRECTORY_ENTRY_EXPORT) pointing at 0x400
 * 0x200  the debug-info area (PointerToSymbolTable), in the file only
 * 0x400  IMAGE_EXPORT_DIRECTORY and its tables ({@link ExportDirectory})
 * </pre>
 */
public final class PeHeaders {
    /** The header page: the headers and the export directory. */
    public static final int HEADER_BYTES = 0x1000;
    /** Where the export directory starts (its RVA: the header page is at RVA 0). */
    public static final int EXPORT_DIRECTORY_OFFSET = 0x400;
    private static final int DATA_DIRECTORIES = 16;
    public static final int NT_HEADERS_OFFSET = 0x80;
    public static final int FILE_HEADER_OFFSET = NT_HEADERS_OFFSET + 4;
    public static final int OPTIONAL_HEADER_OFFSET = FILE_HEADER_OFFSET + 20;

    private static final int IMAGE_FILE_EXECUTABLE_IMAGE = 0x0002;
    private static final int IMAGE_FILE_LARGE_ADDRESS_AWARE = 0x0020;
    private static final int IMAGE_FILE_32BIT_MACHINE = 0x0100;
    private static final int IMAGE_FILE_DLL = 0x2000;

    private PeHeaders() {
    }

    /** The header bytes of {@code image} (a DLL if {@code dll}). */
    public static byte[] build(ImageInfo image, boolean dll) {
        boolean pe32 = image.machine() == ImageInfo.MACHINE_I386 || image.machine() == ImageInfo.MACHINE_ARMNT;
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 'M').put(1, (byte) 'Z');
        b.putInt(0x3C, NT_HEADERS_OFFSET);
        b.put(NT_HEADERS_OFFSET, "PE\0\0".getBytes(StandardCharsets.US_ASCII));
        int characteristics = IMAGE_FILE_EXECUTABLE_IMAGE
                | (pe32 ? IMAGE_FILE_32BIT_MACHINE : IMAGE_FILE_LARGE_ADDRESS_AWARE)
                | (dll ? IMAGE_FILE_DLL : 0);
        b.putShort(FILE_HEADER_OFFSET, (short) image.machine());
        b.putShort(FILE_HEADER_OFFSET + 2, (short) 1);
        b.putInt(FILE_HEADER_OFFSET + 4, 0);
        b.putInt(FILE_HEADER_OFFSET + 8, image.debugInfoFileOffset());
        b.putInt(FILE_HEADER_OFFSET + 12, image.debugInfoSize());
        b.putShort(FILE_HEADER_OFFSET + 16, (short) (pe32 ? 0xE0 : 0xF0));
        b.putShort(FILE_HEADER_OFFSET + 18, (short) characteristics);
        b.putShort(OPTIONAL_HEADER_OFFSET, (short) (pe32 ? 0x10B : 0x20B));
        b.putInt(OPTIONAL_HEADER_OFFSET + 0x10, (int) (image.entryPoint() - image.base()));
        if (pe32) {
            b.putInt(OPTIONAL_HEADER_OFFSET + 0x1C, (int) image.base());
        } else {
            b.putLong(OPTIONAL_HEADER_OFFSET + 0x18, image.base());
        }
        b.putInt(OPTIONAL_HEADER_OFFSET + 0x38, (int) image.size());
        String file = image.path().substring(image.path().lastIndexOf('\\') + 1);
        int exportSize = ExportDirectory.write(b, EXPORT_DIRECTORY_OFFSET, file, SimExports.of(image, dll));
        int directories = OPTIONAL_HEADER_OFFSET + (pe32 ? 0x60 : 0x70);
        b.putInt(directories - 4, DATA_DIRECTORIES);
        b.putInt(directories, EXPORT_DIRECTORY_OFFSET);
        b.putInt(directories + 4, exportSize);
        return b.array();
    }

    /** The content of the image file on the simulated disk: the headers followed by the path, for recognisability. */
    public static byte[] fileContent(ImageInfo image, boolean dll) {
        byte[] headers = build(image, dll);
        byte[] name = image.path().getBytes(StandardCharsets.UTF_8);
        // The fake "symbol table" area that PointerToSymbolTable points at holds the path.
        int at = image.debugInfoFileOffset();
        System.arraycopy(name, 0, headers, at, Math.min(name.length, EXPORT_DIRECTORY_OFFSET - at));
        return headers;
    }
}
