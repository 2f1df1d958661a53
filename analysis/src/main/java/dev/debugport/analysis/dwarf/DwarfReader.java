package dev.debugport.analysis.dwarf;

/**
 * A little-endian cursor over DWARF bytes (.eh_frame records, CFA programs, DWARF expressions, .debug_info units and
 * their lists), with the LEB128, fixed-size and DW_EH_PE pointer forms. Reading past the end throws
 * {@link MalformedDwarfException}, which callers turn into "no unwind information here" or "no parameters".
 */
public final class DwarfReader {
    /** DW_EH_PE_omit: no value follows. */
    public static final int PE_OMIT = 0xFF;

    private final byte[] data;
    /** The link-time address of {@code data[0]} (for pc-relative pointers). */
    private final long address;
    private int position;
    private final int end;

    public DwarfReader(byte[] data, long address, int from, int end) {
        if (from < 0 || end > data.length || from > end) {
            throw new MalformedDwarfException("range " + from + ".." + end + " outside " + data.length + " bytes");
        }
        this.data = data;
        this.address = address;
        this.position = from;
        this.end = end;
    }

    public int position() {
        return position;
    }

    public void seek(int to) {
        if (to < 0 || to > end) {
            throw new MalformedDwarfException("seek to " + to + " outside the record");
        }
        position = to;
    }

    public boolean atEnd() {
        return position >= end;
    }

    public int u8() {
        need(1);
        return data[position++] & 0xFF;
    }

    public int u16() {
        return u8() | u8() << 8;
    }

    public long u32() {
        return Integer.toUnsignedLong(u16() | u16() << 16);
    }

    public long u64() {
        return u32() | u32() << 32;
    }

    public long uleb128() {
        long result = 0;
        int shift = 0;
        int b;
        do {
            b = u8();
            if (shift < 64) {
                result |= (long) (b & 0x7F) << shift;
            }
            shift += 7;
        } while ((b & 0x80) != 0);
        return result;
    }

    public long sleb128() {
        int start = position;
        long result = uleb128();
        // The unsigned value holds 7 bits per byte read; bit 6 of the last byte is the sign to extend.
        int shift = 7 * (position - start);
        if (shift < 64 && (data[position - 1] & 0x40) != 0) {
            result |= -1L << shift;
        }
        return result;
    }

    /** A {@code size}-byte unsigned value (1, 2, 3, 4 or 8 bytes: the fixed-size DWARF forms and addresses). */
    public long unsigned(int size) {
        return switch (size) {
            case 1 -> u8();
            case 2 -> u16();
            case 3 -> u16() | (long) u8() << 16;
            case 4 -> u32();
            case 8 -> u64();
            default -> throw new MalformedDwarfException("no " + size + "-byte value form");
        };
    }

    /** A NUL-terminated ASCII string. */
    public String cString() {
        int start = position;
        while (u8() != 0) {
            // scan to the terminator
        }
        return new String(data, start, position - 1 - start, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** {@code length} bytes, as a sub-range [position, position + length) of the underlying array. */
    public int skip(long length) {
        if (length < 0 || length > end - position) {
            throw new MalformedDwarfException("block of " + length + " bytes runs past the record");
        }
        int start = position;
        position += (int) length;
        return start;
    }

    public byte[] data() {
        return data;
    }

    /**
     * A pointer in DW_EH_PE {@code encoding}: the value format in the low nibble (absptr, uleb128, udata2/4/8,
     * sleb128, sdata2/4/8), applied relative to the field's own address (pcrel) or to {@code dataBase} (datarel).
     * An indirect pointer is returned as the address of the slot (the caller never needs the target: only
     * personality routines are indirect). Text- and function-relative forms are not used on x86-64 Linux and are
     * rejected.
     */
    public long encodedPointer(int encoding, long dataBase) {
        long fieldAddress = address + position;
        long value = switch (encoding & 0x0F) {
            case 0x00, 0x04 -> u64();
            case 0x01 -> uleb128();
            case 0x02 -> u16();
            case 0x03 -> u32();
            case 0x09 -> sleb128();
            case 0x0A -> (short) u16();
            case 0x0B -> (int) u32();
            case 0x0C -> u64();
            default -> throw new MalformedDwarfException("pointer format 0x" + Integer.toHexString(encoding));
        };
        return switch (encoding & 0x70) {
            case 0x00 -> value;
            case 0x10 -> fieldAddress + value;
            case 0x30 -> dataBase + value;
            default -> throw new MalformedDwarfException("pointer application 0x" + Integer.toHexString(encoding));
        };
    }

    private void need(int n) {
        if (end - position < n) {
            throw new MalformedDwarfException("read past the end at offset " + position);
        }
    }
}
