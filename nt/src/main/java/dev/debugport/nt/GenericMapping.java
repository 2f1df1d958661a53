package dev.debugport.nt;

/**
 * A {@code GENERIC_MAPPING}: how an object type translates the four generic rights into its
 * specific and standard rights.
 *
 * @param read    rights GENERIC_READ stands for
 * @param write   rights GENERIC_WRITE stands for
 * @param execute rights GENERIC_EXECUTE stands for
 * @param all     rights GENERIC_ALL stands for
 */
public record GenericMapping(int read, int write, int execute, int all) {

    /** The DebugObject type's mapping ({@code spec/dbgk.md} §1.3). */
    public static final GenericMapping DEBUG_OBJECT = new GenericMapping(0x00020001, 0x00020002, 0x00120000, 0x001F000F);
    /** The Process type's mapping. */
    public static final GenericMapping PROCESS = new GenericMapping(0x00020410, 0x00020BEA, 0x00121000, 0x001FFFFF);
    /** The Thread type's mapping. */
    public static final GenericMapping THREAD = new GenericMapping(0x00020048, 0x00020037, 0x00121800, 0x001FFFFF);
    /** The Event type's mapping. */
    public static final GenericMapping EVENT = new GenericMapping(0x00020001, 0x00020002, 0x00120000, 0x001F0003);
    /** The File type's mapping (FILE_GENERIC_READ / _WRITE / _EXECUTE, FILE_ALL_ACCESS). */
    public static final GenericMapping FILE = new GenericMapping(0x00120089, 0x00120116, 0x001200A0, 0x001F01FF);

    /**
     * Implements {@code RtlMapGenericMask}: replaces each GENERIC_* bit present in {@code desired} by the
     * rights it maps to. Every other bit, MAXIMUM_ALLOWED included, is kept as it is.
     *
     * @param desired a desired access mask
     * @return the mask with no GENERIC_* bits left
     */
    public int map(int desired) {
        int mapped = desired & ~AccessMask.GENERIC_MASK;
        if ((desired & AccessMask.GENERIC_READ) != 0) {
            mapped |= read;
        }
        if ((desired & AccessMask.GENERIC_WRITE) != 0) {
            mapped |= write;
        }
        if ((desired & AccessMask.GENERIC_EXECUTE) != 0) {
            mapped |= execute;
        }
        if ((desired & AccessMask.GENERIC_ALL) != 0) {
            mapped |= all;
        }
        return mapped;
    }
}
