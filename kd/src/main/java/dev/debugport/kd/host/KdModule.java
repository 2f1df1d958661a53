package dev.debugport.kd.host;

/**
 * A loaded module as the host read it from a LDR_DATA_TABLE_ENTRY.
 *
 * @param baseName BaseDllName (e.g. {@code ntoskrnl.exe})
 * @param fullName FullDllName
 * @param base DllBase
 * @param size SizeOfImage
 * @param entry the LDR_DATA_TABLE_ENTRY's address
 */
public record KdModule(String baseName, String fullName, long base, long size, long entry) {

    /** @return the end address (exclusive) */
    public long end() {
        return base + size;
    }

    /** @return true if {@code address} lies in the image */
    public boolean contains(long address) {
        return Long.compareUnsigned(address, base) >= 0 && Long.compareUnsigned(address, end()) < 0;
    }

    /** @return the name kd shows: without the extension, and {@code nt} for the kernel */
    public String moduleName() {
        String n = baseName;
        int dot = n.lastIndexOf('.');
        if (dot > 0) {
            n = n.substring(0, dot);
        }
        String lower = n.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("ntoskrnl") || lower.equals("ntkrnlmp") || lower.equals("ntkrnlpa") || lower.equals("ntkrpamp")) {
            return "nt";
        }
        return n;
    }
}
