package dev.debugport.analysis.dwarf;

import static dev.debugport.analysis.dwarf.DwarfConstants.*;

import dev.debugport.analysis.MemoryWords;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The DWARF debugging information of one ELF file (.debug_info with the sections it points into), for what the
 * debugger engine's symbol handler does with a PDB's function records: the function containing an address and its
 * parameters (what dbghelp's SymSetContext and SymEnumSymbols give cdb's kp and dv). Unit headers are read when the
 * file's information is first asked for; a unit's entries when a lookup first falls in it. Damaged data gives
 * fewer answers, never an exception. Thread-safe.
 */
public final class DebugInfo {
    /** An information file without units: lookups find nothing. */
    public static final DebugInfo NONE = new DebugInfo(List.of());

    /** Bounds the abstract-origin and specification chains, which damaged data could make loop. */
    private static final int MAX_ORIGINS = 8;

    /** An entry and the unit it belongs to (which resolves its strings and addresses). */
    record Found(CompilationUnit unit, DebugEntry entry) {
    }

    private record Inherited(CompilationUnit unit, AttributeValue value) {
    }

    private final List<CompilationUnit> units;
    private final TypeResolver types = new TypeResolver(this);

    private DebugInfo(List<CompilationUnit> units) {
        this.units = units;
    }

    /** Reads the unit headers of {@code sections}; a unit that cannot be read ends the list (the ones before stay). */
    public static DebugInfo parse(DebugSections sections) {
        List<CompilationUnit> units = new ArrayList<>();
        try {
            DwarfReader r = new DwarfReader(sections.info(), 0, 0, sections.info().length);
            while (!r.atEnd()) {
                units.add(CompilationUnit.read(sections, r));
            }
        } catch (MalformedDwarfException damaged) {
            // A unit length or abbreviation table that cannot be trusted: the units after it cannot be found.
        }
        return new DebugInfo(List.copyOf(units));
    }

    /** How many units were read. */
    public int unitCount() {
        return units.size();
    }

    /**
     * The function whose code contains the link-time address {@code pc}, with its parameters located at {@code pc};
     * empty where no unit describes it (code compiled without -g, or damaged data).
     */
    public Optional<Subprogram> functionAt(long pc) {
        for (CompilationUnit unit : units) {
            try {
                if (!covers(unit, unit.root(), pc)) {
                    continue;
                }
                DebugEntry function = null;
                for (DebugEntry e : unit.entries().values()) {
                    // Entries come in document order: a function nested in another one (a GNU C nested function) comes later.
                    if (e.tag() == TAG_SUBPROGRAM && covers(unit, e, pc)) {
                        function = e;
                    }
                }
                if (function != null) {
                    return Optional.of(describe(new Found(unit, function), pc));
                }
            } catch (MalformedDwarfException damaged) {
                // This unit's description of the address cannot be read; another unit may still have it.
            }
        }
        return Optional.empty();
    }

    /** The entry at {@code offset} of .debug_info, in whichever unit holds it. */
    Optional<Found> entryAt(long offset) {
        for (CompilationUnit unit : units) {
            if (unit.contains(offset)) {
                DebugEntry e = unit.entries().get(offset);
                return e == null ? Optional.empty() : Optional.of(new Found(unit, e));
            }
        }
        return Optional.empty();
    }

    private Subprogram describe(Found function, long pc) {
        CompilationUnit unit = function.unit();
        String name = inherited(function, AT_NAME).flatMap(a -> a.unit().string(a.value())).orElse("");
        LocationDescription frameBase = function.entry().attribute(AT_FRAME_BASE).map(v -> location(unit, v, pc))
                .orElse(new LocationDescription.None());
        List<Subprogram.Parameter> parameters = new ArrayList<>();
        for (DebugEntry child : function.entry().children()) {
            if (child.tag() != TAG_FORMAL_PARAMETER) {
                continue;
            }
            Found p = new Found(unit, child);
            String pName = inherited(p, AT_NAME).flatMap(a -> a.unit().string(a.value())).orElse("");
            DwarfType type = types.typeOf(inherited(p, AT_TYPE).map(Inherited::value));
            parameters.add(new Subprogram.Parameter(pName, type, parameterLocation(p, pc)));
        }
        return new Subprogram(name, List.copyOf(parameters), frameBase);
    }

    /** DW_AT_location at {@code pc}, else DW_AT_const_value (on the entry or its abstract origin). */
    private LocationDescription parameterLocation(Found p, long pc) {
        Optional<AttributeValue> location = p.entry().attribute(AT_LOCATION);
        if (location.isPresent()) {
            return location(p.unit(), location.get(), pc);
        }
        return inherited(p, AT_CONST_VALUE).map(a -> constant(a.unit(), a.value())).orElse(new LocationDescription.None());
    }

    /** An expression (exprloc, or a block in DWARF 2 and 3) or the entry of a location list that covers {@code pc}. */
    private static LocationDescription location(CompilationUnit unit, AttributeValue value, long pc) {
        if (value instanceof AttributeValue.Block(int start, int end)) {
            return new LocationDescription.Expression(unit.sections().info(), start, end);
        }
        for (DwarfLists.Entry e : DwarfLists.locations(unit, value)) {
            if (e.covers(pc)) {
                return new LocationDescription.Expression(e.section(), e.start(), e.end());
            }
        }
        return new LocationDescription.None();
    }

    private static LocationDescription constant(CompilationUnit unit, AttributeValue value) {
        return switch (value) {
            case AttributeValue.Constant(long c) -> new LocationDescription.Constant(MemoryWords.littleEndian(c));
            case AttributeValue.Block(int start, int end) -> new LocationDescription.Constant(Arrays.copyOfRange(unit.sections().info(), start, end));
            default -> new LocationDescription.None();
        };
    }

    /**
     * The attribute on the entry itself, or else on the entry its DW_AT_abstract_origin or DW_AT_specification
     * names: an out-of-line copy of an inlined function and a definition of a declared one keep their name and
     * types there.
     */
    private Optional<Inherited> inherited(Found start, int attribute) {
        Found at = start;
        for (int i = 0; i < MAX_ORIGINS; i++) {
            Optional<AttributeValue> own = at.entry().attribute(attribute);
            if (own.isPresent()) {
                return Optional.of(new Inherited(at.unit(), own.get()));
            }
            DebugEntry entry = at.entry();
            Optional<AttributeValue> origin = entry.attribute(AT_ABSTRACT_ORIGIN).or(() -> entry.attribute(AT_SPECIFICATION));
            if (origin.isEmpty() || !(origin.get() instanceof AttributeValue.Reference(long offset))) {
                return Optional.empty();
            }
            Optional<Found> next = entryAt(offset);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            at = next.get();
        }
        return Optional.empty();
    }

    /** True if the entry's DW_AT_low_pc / DW_AT_high_pc or DW_AT_ranges include {@code pc}. */
    private static boolean covers(CompilationUnit unit, DebugEntry entry, long pc) {
        Optional<AttributeValue> ranges = entry.attribute(AT_RANGES);
        if (ranges.isPresent()) {
            return DwarfLists.ranges(unit, ranges.get()).stream().anyMatch(r -> r.covers(pc));
        }
        Optional<AttributeValue> low = entry.attribute(AT_LOW_PC);
        Optional<AttributeValue> high = entry.attribute(AT_HIGH_PC);
        if (low.isEmpty() || high.isEmpty() || unit.address(low.get()).isEmpty()) {
            return false;
        }
        long begin = unit.address(low.get()).getAsLong();
        // DWARF 4 and later: a constant high_pc is the length; an address one is the end.
        long end = high.get() instanceof AttributeValue.Constant(long length) ? begin + length : unit.address(high.get()).orElse(begin);
        return Long.compareUnsigned(pc, begin) >= 0 && Long.compareUnsigned(pc, end) < 0;
    }
}
