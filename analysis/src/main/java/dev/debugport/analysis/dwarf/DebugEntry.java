package dev.debugport.analysis.dwarf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** A debugging information entry (DIE) of .debug_info: its tag, its attributes and the entries it owns. */
final class DebugEntry {
    private final long offset;
    private final Abbreviation abbreviation;
    private final Map<Integer, AttributeValue> attributes;
    private final List<DebugEntry> children = new ArrayList<>();

    DebugEntry(long offset, Abbreviation abbreviation, Map<Integer, AttributeValue> attributes) {
        this.offset = offset;
        this.abbreviation = abbreviation;
        this.attributes = attributes;
    }

    /** Where the entry starts in .debug_info (what references name). */
    long offset() {
        return offset;
    }

    int tag() {
        return abbreviation.tag();
    }

    boolean hasChildren() {
        return abbreviation.hasChildren();
    }

    Optional<AttributeValue> attribute(int name) {
        return Optional.ofNullable(attributes.get(name));
    }

    /** A constant attribute's value (DW_AT_byte_size, DW_AT_encoding...); empty if absent or of another class. */
    OptionalLong constant(int name) {
        return attributes.get(name) instanceof AttributeValue.Constant(long value) ? OptionalLong.of(value) : OptionalLong.empty();
    }

    List<DebugEntry> children() {
        return children;
    }

    void addChild(DebugEntry child) {
        children.add(child);
    }
}
