package dev.debugport.analysis.dwarf;

import static dev.debugport.analysis.dwarf.DwarfConstants.*;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One unit of .debug_info (DWARF 2 to 5, 32- and 64-bit formats): its header, its root entry (read at once: it
 * says which addresses the unit covers), and its other entries, read the first time a lookup needs them. Resolves
 * the values that depend on the unit: strings and addresses by index, unit-relative references.
 */
final class CompilationUnit {
    private static final int DW_UT_SKELETON = 0x04;
    private static final int DW_UT_SPLIT_COMPILE = 0x05;
    private static final int DW_UT_TYPE = 0x02;
    private static final int DW_UT_SPLIT_TYPE = 0x06;

    private final DebugSections sections;
    private final long offset;
    private final int end;
    private final int version;
    private final int addressSize;
    private final int offsetSize;
    private final Map<Long, Abbreviation> abbreviations;
    private final int entriesStart;
    private final DebugEntry root;
    /** Where the entries after the root start: the root is read once, by the constructor, and reused by {@link #entries}. */
    private final int afterRoot;
    private Map<Long, DebugEntry> entries;

    private CompilationUnit(DebugSections sections, DwarfReader r) {
        this.sections = sections;
        this.offset = r.position();
        long length = r.u32();
        offsetSize = length == 0xFFFF_FFFFL ? 8 : 4;
        if (offsetSize == 8) {
            length = r.u64();
        }
        int lengthEnd = r.position();
        r.skip(length);
        end = r.position();
        r.seek(lengthEnd);
        version = r.u16();
        long abbrevOffset;
        if (version >= 5) {
            int unitType = r.u8();
            addressSize = r.u8();
            abbrevOffset = r.unsigned(offsetSize);
            if (unitType == DW_UT_SKELETON || unitType == DW_UT_SPLIT_COMPILE) {
                r.u64(); // dwo_id
            } else if (unitType == DW_UT_TYPE || unitType == DW_UT_SPLIT_TYPE) {
                r.u64(); // type_signature
                r.unsigned(offsetSize); // type_offset
            }
        } else if (version >= 2) {
            abbrevOffset = r.unsigned(offsetSize);
            addressSize = r.u8();
        } else {
            throw new MalformedDwarfException("DWARF version " + version);
        }
        if (addressSize != 4 && addressSize != 8) {
            throw new MalformedDwarfException("address size " + addressSize);
        }
        abbreviations = Abbreviation.table(sections.abbrev(), abbrevOffset);
        entriesStart = r.position();
        DwarfReader entryReader = new DwarfReader(sections.info(), 0, entriesStart, end);
        DebugEntry first = new EntryParser(this, entryReader).next();
        if (first == null) {
            throw new MalformedDwarfException("unit at " + offset + " has no root entry");
        }
        root = first;
        afterRoot = entryReader.position();
    }

    /**
     * The unit that starts at the reader's position; the reader is left at the next one. A unit whose header or
     * root entry cannot be read throws, and so ends the list: its length cannot be trusted either.
     */
    static CompilationUnit read(DebugSections sections, DwarfReader r) {
        CompilationUnit unit = new CompilationUnit(sections, r);
        r.seek(unit.end);
        return unit;
    }

    DebugSections sections() {
        return sections;
    }

    int version() {
        return version;
    }

    int addressSize() {
        return addressSize;
    }

    int offsetSize() {
        return offsetSize;
    }

    DebugEntry root() {
        return root;
    }

    /** True if the entry at {@code infoOffset} lies in this unit. */
    boolean contains(long infoOffset) {
        return infoOffset >= entriesStart && infoOffset < end;
    }

    /** Every entry of the unit by offset, parsed on the first call; a damaged entry ends the parse where it is. */
    synchronized Map<Long, DebugEntry> entries() {
        if (entries == null) {
            entries = parseEntries();
        }
        return entries;
    }

    private Map<Long, DebugEntry> parseEntries() {
        Map<Long, DebugEntry> byOffset = new LinkedHashMap<>();
        EntryParser parser = new EntryParser(this, new DwarfReader(sections.info(), 0, afterRoot, end));
        Deque<DebugEntry> open = new ArrayDeque<>();
        byOffset.put(root.offset(), root);
        if (root.hasChildren()) {
            open.push(root);
        }
        try {
            while (!open.isEmpty() && !parser.atEnd()) {
                DebugEntry e = parser.next();
                if (e == null) {
                    open.pop();
                    continue;
                }
                byOffset.put(e.offset(), e);
                open.peek().addChild(e);
                if (e.hasChildren()) {
                    open.push(e);
                }
            }
        } catch (MalformedDwarfException damaged) {
            // Keep what was read before the damage: the entries are complete ones.
        }
        return byOffset;
    }

    /** A string attribute's text (inline, .debug_str, .debug_line_str or by index through .debug_str_offsets). */
    Optional<String> string(AttributeValue value) {
        return switch (value) {
            case AttributeValue.Text t -> Optional.of(t.value());
            case AttributeValue.StringIndex i -> {
                OptionalLong b = base(AT_STR_OFFSETS_BASE);
                yield b.isPresent()
                        ? Optional.of(stringAt(sections.str(), tableEntry(sections.strOffsets(), b.getAsLong(), i.index(), offsetSize)))
                        : Optional.empty();
            }
            default -> Optional.empty();
        };
    }

    /** An address attribute's link-time value (DW_FORM_addr, or by index through .debug_addr). */
    OptionalLong address(AttributeValue value) {
        return switch (value) {
            case AttributeValue.Address a -> OptionalLong.of(a.value());
            case AttributeValue.AddressIndex i -> {
                OptionalLong b = base(AT_ADDR_BASE);
                yield b.isPresent() ? OptionalLong.of(tableEntry(sections.addr(), b.getAsLong(), i.index(), addressSize)) : OptionalLong.empty();
            }
            default -> OptionalLong.empty();
        };
    }

    /** The value of one of the root entry's DW_AT_*_base attributes. */
    OptionalLong base(int attribute) {
        return root.attribute(attribute).orElse(null) instanceof AttributeValue.SectionOffset(long o) ? OptionalLong.of(o) : OptionalLong.empty();
    }

    /** The base address of the unit's lists: its root entry's DW_AT_low_pc, else 0. */
    long baseAddress() {
        return root.attribute(AT_LOW_PC).map(v -> address(v).orElse(0)).orElse(0L);
    }

    /** Entry {@code index} of size {@code size} of the table at {@code base} in {@code section}. */
    static long tableEntry(byte[] section, long base, long index, int size) {
        long at = base + index * size;
        if (base < 0 || index < 0 || at < 0 || at > section.length - size) {
            throw new MalformedDwarfException("index " + index + " outside its table");
        }
        return new DwarfReader(section, 0, (int) at, section.length).unsigned(size);
    }

    /** The NUL-terminated string at {@code at} of a string section. */
    static String stringAt(byte[] section, long at) {
        if (at < 0 || at >= section.length) {
            throw new MalformedDwarfException("string offset " + at + " outside its section");
        }
        return new DwarfReader(section, 0, (int) at, section.length).cString();
    }

    /** Reads the entries of a unit, one at a time, with their attribute values. */
    private static final class EntryParser {
        private final CompilationUnit unit;
        private final DwarfReader r;

        EntryParser(CompilationUnit unit, DwarfReader r) {
            this.unit = unit;
            this.r = r;
        }

        boolean atEnd() {
            return r.atEnd();
        }

        /** The next entry, or null for the 0 code that ends a list of children. */
        DebugEntry next() {
            long at = r.position();
            long code = r.uleb128();
            if (code == 0) {
                return null;
            }
            Abbreviation a = unit.abbreviations.get(code);
            if (a == null) {
                throw new MalformedDwarfException("abbreviation code " + code + " at " + at + " is not in the table");
            }
            Map<Integer, AttributeValue> values = new HashMap<>(a.attributes().size() * 2);
            for (Abbreviation.Spec spec : a.attributes()) {
                values.put(spec.attribute(), value(spec.form(), spec));
            }
            return new DebugEntry(at, a, values);
        }

        private AttributeValue value(int form, Abbreviation.Spec spec) {
            return switch (form) {
                case FORM_ADDR -> new AttributeValue.Address(r.unsigned(unit.addressSize));
                case FORM_BLOCK1 -> block(r.u8());
                case FORM_BLOCK2 -> block(r.u16());
                case FORM_BLOCK4 -> block(r.u32());
                case FORM_BLOCK, FORM_EXPRLOC -> block(r.uleb128());
                case FORM_DATA1 -> new AttributeValue.Constant(r.u8());
                case FORM_DATA2 -> new AttributeValue.Constant(r.u16());
                case FORM_DATA4 -> new AttributeValue.Constant(r.u32());
                case FORM_DATA8 -> new AttributeValue.Constant(r.u64());
                case FORM_FLAG -> new AttributeValue.Constant(r.u8());
                case FORM_FLAG_PRESENT -> new AttributeValue.Constant(1);
                case FORM_SDATA -> new AttributeValue.Constant(r.sleb128());
                case FORM_UDATA -> new AttributeValue.Constant(r.uleb128());
                case FORM_IMPLICIT_CONST -> new AttributeValue.Constant(spec.implicitConstant());
                case FORM_STRING -> new AttributeValue.Text(r.cString());
                case FORM_STRP -> new AttributeValue.Text(stringAt(unit.sections.str(), r.unsigned(unit.offsetSize)));
                case FORM_LINE_STRP -> new AttributeValue.Text(stringAt(unit.sections.lineStr(), r.unsigned(unit.offsetSize)));
                case FORM_STRX -> new AttributeValue.StringIndex(r.uleb128());
                case FORM_STRX1, FORM_STRX1 + 1, FORM_STRX1 + 2, FORM_STRX4 -> new AttributeValue.StringIndex(r.unsigned(form - FORM_STRX1 + 1));
                case FORM_ADDRX -> new AttributeValue.AddressIndex(r.uleb128());
                case FORM_ADDRX1, FORM_ADDRX1 + 1, FORM_ADDRX1 + 2, FORM_ADDRX4 -> new AttributeValue.AddressIndex(r.unsigned(form - FORM_ADDRX1 + 1));
                case FORM_REF_ADDR -> new AttributeValue.Reference(r.unsigned(unit.version <= 2 ? unit.addressSize : unit.offsetSize));
                case FORM_REF1 -> local(r.u8());
                case FORM_REF2 -> local(r.u16());
                case FORM_REF4 -> local(r.u32());
                case FORM_REF8 -> local(r.u64());
                case FORM_REF_UDATA -> local(r.uleb128());
                case FORM_SEC_OFFSET -> new AttributeValue.SectionOffset(r.unsigned(unit.offsetSize));
                case FORM_LOCLISTX, FORM_RNGLISTX -> new AttributeValue.ListIndex(r.uleb128());
                case FORM_INDIRECT -> {
                    int actual = (int) r.uleb128();
                    if (actual == FORM_INDIRECT) {
                        // Legal only once: a chain of them in damaged data would recurse as deep as the section is long.
                        throw new MalformedDwarfException("DW_FORM_indirect naming DW_FORM_indirect");
                    }
                    yield value(actual, spec);
                }
                case FORM_REF_SIG8, FORM_REF_SUP8 -> skipped(8);
                case FORM_REF_SUP4 -> skipped(4);
                case FORM_STRP_SUP -> skipped(unit.offsetSize);
                case FORM_DATA16 -> skipped(16);
                default -> throw new MalformedDwarfException("attribute form 0x" + Integer.toHexString(form));
            };
        }

        private AttributeValue block(long length) {
            int start = r.skip(length);
            return new AttributeValue.Block(start, r.position());
        }

        /** A unit-relative reference (DW_FORM_ref1..8, ref_udata) as an offset in .debug_info. */
        private AttributeValue local(long unitOffset) {
            return new AttributeValue.Reference(unit.offset + unitOffset);
        }

        private AttributeValue skipped(int bytes) {
            r.skip(bytes);
            return new AttributeValue.Skipped();
        }
    }
}
