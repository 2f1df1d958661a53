package dev.debugport.analysis.unwind;

import dev.debugport.analysis.dwarf.DwarfReader;
import dev.debugport.analysis.dwarf.MalformedDwarfException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The FDEs of one .eh_frame section, found by a full scan of its records and sorted by start address, so the FDE of a
 * pc is a binary search. Addresses are link-time ones (the caller removes the load bias). A record that cannot be
 * parsed (an augmentation other than "z..." or an unknown pointer form) is skipped with the FDEs that use it; the
 * rest of the section stays usable. Immutable.
 *
 * <pre>
 * record: length u32 (0xffffffff: a u64 length follows; 0: terminator), then id u32 (0 in a CIE; in an FDE the
 *         distance from this field back to its CIE)
 * CIE:    version u8 (1 or 3), augmentation string, code_alignment uleb, data_alignment sleb,
 *         return_address_register (u8 in version 1, uleb in 3), if 'z': augmentation length uleb and one datum per
 *         letter (L: LSDA encoding u8, P: personality encoding u8 + pointer, R: FDE pointer encoding u8, S: none),
 *         initial instructions
 * FDE:    pc_begin (CIE's encoding), pc_range (its value format, absolute), if 'z': augmentation length uleb + data,
 *         instructions
 * </pre>
 */
final class EhFrameTable {
    private final byte[] section;
    private final FrameDescriptionEntry[] entries;
    private final long[] starts;

    private EhFrameTable(byte[] section, List<FrameDescriptionEntry> entries) {
        this.section = section;
        this.entries = entries.toArray(FrameDescriptionEntry[]::new);
        Arrays.sort(this.entries, Comparator.comparingLong(FrameDescriptionEntry::begin));
        this.starts = new long[this.entries.length];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = this.entries[i].begin();
        }
    }

    /** Scans the .eh_frame bytes {@code section}, which are at link-time address {@code address}. */
    static EhFrameTable parse(byte[] section, long address) {
        Map<Integer, Optional<CommonInformationEntry>> cies = new HashMap<>();
        List<FrameDescriptionEntry> fdes = new ArrayList<>();
        int offset = 0;
        while (section.length - offset >= 4) {
            DwarfReader r = new DwarfReader(section, address, offset, section.length);
            long length = r.u32();
            if (length == 0) {
                break;
            }
            if (length == 0xFFFF_FFFFL) {
                length = r.u64();
            }
            int contentStart = r.position();
            if (length > section.length - contentStart) {
                break;
            }
            int recordEnd = contentStart + (int) length;
            long id = r.u32();
            try {
                if (id == 0) {
                    cies.computeIfAbsent(offset, o -> cie(section, address, contentStart + 4, recordEnd));
                } else {
                    int cieOffset = (int) (contentStart - id);
                    Optional<CommonInformationEntry> cie = cies.computeIfAbsent(cieOffset, o -> cieAt(section, address, o));
                    if (cie.isPresent()) {
                        fde(r, cie.get(), recordEnd).ifPresent(fdes::add);
                    }
                }
            } catch (MalformedDwarfException e) {
                // this record only: the next one starts at recordEnd whatever was wrong here
            }
            offset = recordEnd;
        }
        return new EhFrameTable(section, fdes);
    }

    /** The FDE that covers link-time address {@code pc}. */
    Optional<FrameDescriptionEntry> find(long pc) {
        int low = 0;
        int high = starts.length - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (starts[mid] <= pc) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        // Ranges do not overlap in linker output, but an empty FDE may share a start: look back past those.
        for (int i = found; i >= 0 && i > found - 4; i--) {
            if (pc >= entries[i].begin() && pc < entries[i].end()) {
                return Optional.of(entries[i]);
            }
        }
        return Optional.empty();
    }

    /** The section bytes the entries' instruction ranges index. */
    byte[] section() {
        return section;
    }

    int size() {
        return entries.length;
    }

    private static Optional<CommonInformationEntry> cieAt(byte[] section, long address, int offset) {
        try {
            DwarfReader r = new DwarfReader(section, address, offset, section.length);
            long length = r.u32();
            if (length == 0 || length == 0xFFFF_FFFFL || length > section.length - r.position()) {
                return Optional.empty();
            }
            int end = r.position() + (int) length;
            return r.u32() == 0 ? cie(section, address, r.position(), end) : Optional.empty();
        } catch (MalformedDwarfException e) {
            return Optional.empty();
        }
    }

    private static Optional<CommonInformationEntry> cie(byte[] section, long address, int from, int end) {
        DwarfReader r = new DwarfReader(section, address, from, end);
        int version = r.u8();
        String augmentation = r.cString();
        if ((version != 1 && version != 3) || !(augmentation.isEmpty() || augmentation.startsWith("z"))) {
            return Optional.empty();
        }
        long codeAlignment = r.uleb128();
        long dataAlignment = r.sleb128();
        int returnRegister = version == 1 ? r.u8() : (int) r.uleb128();
        int encoding = 0;
        boolean signal = false;
        boolean augmented = augmentation.startsWith("z");
        if (augmented) {
            long dataLength = r.uleb128();
            int dataEnd = r.position() + (int) dataLength;
            for (int i = 1; i < augmentation.length(); i++) {
                switch (augmentation.charAt(i)) {
                    case 'L' -> r.u8();
                    case 'P' -> r.encodedPointer(r.u8(), 0);
                    case 'R' -> encoding = r.u8();
                    case 'S' -> signal = true;
                    default -> i = augmentation.length(); // the length lets us skip data we do not know
                }
            }
            r.seek(dataEnd);
        }
        return Optional.of(new CommonInformationEntry(codeAlignment, dataAlignment, returnRegister, encoding, augmented,
                signal, r.position(), end));
    }

    private static Optional<FrameDescriptionEntry> fde(DwarfReader r, CommonInformationEntry cie, int end) {
        long begin = r.encodedPointer(cie.pointerEncoding(), 0);
        long range = r.encodedPointer(cie.pointerEncoding() & 0x0F, 0);
        if (cie.augmented()) {
            r.skip(r.uleb128());
        }
        if (begin == 0 || range <= 0) {
            return Optional.empty(); // an FDE the linker discarded with its code
        }
        return Optional.of(new FrameDescriptionEntry(begin, begin + range, cie, r.position(), end));
    }
}
