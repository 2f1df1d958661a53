package dev.debugport.sim.image;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes an IMAGE_EXPORT_DIRECTORY and its tables into an image's header page, as a linker lays one out: the
 * directory, then AddressOfFunctions (one RVA per ordinal), AddressOfNames (RVAs of the names, sorted so that the
 * loader's binary search in LdrGetProcedureAddress works), AddressOfNameOrdinals, then the DLL name and the export
 * names as NUL-terminated ASCII. Ordinals start at Base 1 and follow the sorted names.
 *
 * <pre>
 * IMAGE_EXPORT_DIRECTORY (40 bytes): Characteristics @0, TimeDateStamp @4, MajorVersion @8, MinorVersion @10,
 *   Name @12, Base @16, NumberOfFunctions @20, NumberOfNames @24, AddressOfFunctions @28, AddressOfNames @32,
 *   AddressOfNameOrdinals @36 (RVAs; here the header page is at RVA 0, so an offset in it is its RVA)
 * </pre>
 */
final class ExportDirectory {
    private static final int DIRECTORY_BYTES = 40;

    private ExportDirectory() {
    }

    /**
     * Writes the directory for {@code exports} (name to RVA) at offset {@code at} of {@code page}.
     *
     * @return its size in bytes (the data directory entry's Size)
     * @throws IllegalArgumentException if it does not fit in the page
     */
    static int write(ByteBuffer page, int at, String dllName, Map<String, Long> exports) {
        List<String> names = new ArrayList<>(exports.keySet());
        names.sort(null);
        int n = names.size();
        int functions = at + DIRECTORY_BYTES;
        int nameRvas = functions + 4 * n;
        int ordinals = nameRvas + 4 * n;
        int strings = ordinals + 2 * n;
        int cursor = putString(page, strings, dllName);
        page.putInt(at + 12, strings);
        page.putInt(at + 16, 1);
        page.putInt(at + 20, n);
        page.putInt(at + 24, n);
        page.putInt(at + 28, functions);
        page.putInt(at + 32, nameRvas);
        page.putInt(at + 36, ordinals);
        for (int i = 0; i < n; i++) {
            String name = names.get(i);
            page.putInt(functions + 4 * i, (int) (long) exports.get(name));
            page.putInt(nameRvas + 4 * i, cursor);
            page.putShort(ordinals + 2 * i, (short) i);
            cursor = putString(page, cursor, name);
        }
        return cursor - at;
    }

    private static int putString(ByteBuffer page, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (at + b.length + 1 > page.capacity()) {
            throw new IllegalArgumentException("export directory does not fit in the header page");
        }
        page.put(at, b);
        page.put(at + b.length, (byte) 0);
        return at + b.length + 1;
    }
}
