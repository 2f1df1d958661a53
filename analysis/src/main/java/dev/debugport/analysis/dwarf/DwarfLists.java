package dev.debugport.analysis.dwarf;

import java.util.ArrayList;
import java.util.List;

/**
 * Location lists and range lists: DWARF 5's .debug_loclists / .debug_rnglists (DW_LLE_* / DW_RLE_* entries) and
 * DWARF 4's .debug_loc / .debug_ranges (address pairs with base-address selection entries). Both kinds have the same
 * shape, a location list entry adding a DWARF expression, so one reader walks all four.
 */
final class DwarfLists {
    /** Bounded so that a damaged list cannot run on: a real one has a handful of entries. */
    private static final int MAX_ENTRIES = 100_000;

    /**
     * One entry: link-time addresses [low, high), and for a location list the expression, bytes [start, end) of the
     * section. A DW_LLE_default_location entry covers every address.
     */
    record Entry(long low, long high, byte[] section, int start, int end) {
        boolean covers(long pc) {
            return Long.compareUnsigned(pc, low) >= 0 && Long.compareUnsigned(pc, high) < 0;
        }
    }

    private DwarfLists() {
    }

    /** The location list an attribute names (DW_FORM_sec_offset, or loclistx through DW_AT_loclists_base). */
    static List<Entry> locations(CompilationUnit unit, AttributeValue value) {
        DebugSections s = unit.sections();
        return unit.version() >= 5
                ? readV5(unit, s.loclists(), offset(unit, value, s.loclists(), DwarfConstants.AT_LOCLISTS_BASE), true)
                : readV4(unit, s.loc(), offset(unit, value, s.loc(), DwarfConstants.AT_LOCLISTS_BASE), true);
    }

    /** The range list an attribute names (DW_AT_ranges: DW_FORM_sec_offset, or rnglistx through DW_AT_rnglists_base). */
    static List<Entry> ranges(CompilationUnit unit, AttributeValue value) {
        DebugSections s = unit.sections();
        return unit.version() >= 5
                ? readV5(unit, s.rnglists(), offset(unit, value, s.rnglists(), DwarfConstants.AT_RNGLISTS_BASE), false)
                : readV4(unit, s.ranges(), offset(unit, value, s.ranges(), DwarfConstants.AT_RNGLISTS_BASE), false);
    }

    private static long offset(CompilationUnit unit, AttributeValue value, byte[] section, int baseAttribute) {
        return switch (value) {
            case AttributeValue.SectionOffset o -> o.offset();
            case AttributeValue.Constant c -> c.value(); // DWARF 2 and 3: data4 / data8 are list offsets
            case AttributeValue.ListIndex i -> {
                long base = unit.base(baseAttribute).orElseThrow(() -> new MalformedDwarfException("list index without a base"));
                yield base + CompilationUnit.tableEntry(section, base, i.index(), unit.offsetSize());
            }
            default -> throw new MalformedDwarfException("no list offset in " + value);
        };
    }

    private static DwarfReader at(byte[] section, long offset) {
        if (offset < 0 || offset >= section.length) {
            throw new MalformedDwarfException("list offset " + offset + " outside its section");
        }
        return new DwarfReader(section, 0, (int) offset, section.length);
    }

    /**
     * DW_LLE_* (locations) or DW_RLE_* (ranges). The codes agree up to offset_pair (4); from there the range list
     * codes are one lower, as they have no default_location.
     */
    private static List<Entry> readV5(CompilationUnit unit, byte[] section, long offset, boolean locations) {
        DwarfReader r = at(section, offset);
        int size = unit.addressSize();
        long base = unit.baseAddress();
        List<Entry> out = new ArrayList<>();
        for (int n = 0; n < MAX_ENTRIES; n++) {
            int code = r.u8();
            int kind = !locations && code >= 5 ? code + 1 : code;
            long low;
            long high;
            switch (kind) {
                case 0 -> { // end_of_list
                    return out;
                }
                case 1 -> { // base_addressx
                    base = indexedAddress(unit, r.uleb128());
                    continue;
                }
                case 2 -> { // startx_endx
                    low = indexedAddress(unit, r.uleb128());
                    high = indexedAddress(unit, r.uleb128());
                }
                case 3 -> { // startx_length
                    low = indexedAddress(unit, r.uleb128());
                    high = low + r.uleb128();
                }
                case 4 -> { // offset_pair
                    low = base + r.uleb128();
                    high = base + r.uleb128();
                }
                case 5 -> { // default_location
                    low = 0;
                    high = -1;
                }
                case 6 -> { // base_address
                    base = r.unsigned(size);
                    continue;
                }
                case 7 -> { // start_end
                    low = r.unsigned(size);
                    high = r.unsigned(size);
                }
                case 8 -> { // start_length
                    low = r.unsigned(size);
                    high = low + r.uleb128();
                }
                case 9 -> { // DW_LLE_GNU_view_pair: location view numbers, which a debugger at a pc does not need
                    r.uleb128();
                    r.uleb128();
                    continue;
                }
                default -> throw new MalformedDwarfException("list entry kind " + code);
            }
            out.add(entry(r, section, low, high, locations, locations ? r.uleb128() : 0));
        }
        throw new MalformedDwarfException("list at " + offset + " does not end");
    }

    /** Address pairs relative to the base; (0, 0) ends the list, (all ones, address) sets the base. */
    private static List<Entry> readV4(CompilationUnit unit, byte[] section, long offset, boolean locations) {
        DwarfReader r = at(section, offset);
        int size = unit.addressSize();
        long allOnes = size == 8 ? -1L : 0xFFFF_FFFFL;
        long base = unit.baseAddress();
        List<Entry> out = new ArrayList<>();
        for (int n = 0; n < MAX_ENTRIES; n++) {
            long begin = r.unsigned(size);
            long end = r.unsigned(size);
            if (begin == 0 && end == 0) {
                return out;
            }
            if (begin == allOnes) {
                base = end;
                continue;
            }
            out.add(entry(r, section, base + begin, base + end, locations, locations ? r.u16() : 0));
        }
        throw new MalformedDwarfException("list at " + offset + " does not end");
    }

    private static Entry entry(DwarfReader r, byte[] section, long low, long high, boolean locations, long expressionLength) {
        if (!locations) {
            return new Entry(low, high, section, 0, 0);
        }
        int start = r.skip(expressionLength);
        return new Entry(low, high, section, start, r.position());
    }

    private static long indexedAddress(CompilationUnit unit, long index) {
        return unit.address(new AttributeValue.AddressIndex(index))
                .orElseThrow(() -> new MalformedDwarfException("address index without DW_AT_addr_base"));
    }
}
