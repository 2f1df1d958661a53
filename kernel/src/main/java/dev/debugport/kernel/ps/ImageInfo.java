package dev.debugport.kernel.ps;

/**
 * What the kernel knows of a mapped PE image: its file path, where it is mapped, its size, its entry point, and the
 * two header fields Dbgk reports as debug information (FileHeader.PointerToSymbolTable and NumberOfSymbols).
 *
 * @param machine IMAGE_FILE_HEADER.Machine (0x8664 AMD64, 0x14C i386)
 */
public record ImageInfo(String path, long base, long size, long entryPoint, int debugInfoFileOffset, int debugInfoSize, int machine) {
    public static final int MACHINE_AMD64 = 0x8664;
    public static final int MACHINE_I386 = 0x14C;
    public static final int MACHINE_ARMNT = 0x1C4;

    /** The file name without its directory, as lm and ModLoad print it. */
    public String baseName() {
        int slash = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
        return path.substring(slash + 1);
    }

    public long end() {
        return base + size;
    }
}
