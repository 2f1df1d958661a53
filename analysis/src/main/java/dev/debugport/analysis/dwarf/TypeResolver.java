package dev.debugport.analysis.dwarf;

import static dev.debugport.analysis.dwarf.DwarfConstants.*;

import java.util.Optional;

/**
 * Builds a {@link DwarfType} from the type entry a DW_AT_type names, following pointers, qualifiers (const,
 * volatile, restrict, _Atomic) and typedefs to the base, structure, union, enumeration or function type at the end.
 */
final class TypeResolver {
    /** Deeper chains than this are a reference loop in damaged data. */
    private static final int MAX_DEPTH = 32;

    private final DebugInfo info;

    TypeResolver(DebugInfo info) {
        this.info = info;
    }

    /** The type a DW_AT_type attribute names, {@code void} when there is none. */
    DwarfType typeOf(Optional<AttributeValue> typeAttribute) {
        return resolve(typeAttribute, 0);
    }

    private DwarfType resolve(Optional<AttributeValue> reference, int depth) {
        if (reference.isEmpty()) {
            return new DwarfType("void", DwarfType.Kind.OTHER, 0);
        }
        if (depth > MAX_DEPTH || !(reference.get() instanceof AttributeValue.Reference(long offset))) {
            return DwarfType.UNKNOWN;
        }
        Optional<DebugInfo.Found> found = info.entryAt(offset);
        if (found.isEmpty()) {
            return DwarfType.UNKNOWN;
        }
        DebugEntry e = found.get().entry();
        CompilationUnit unit = found.get().unit();
        Optional<AttributeValue> next = e.attribute(AT_TYPE);
        String name = e.attribute(AT_NAME).flatMap(unit::string).orElse("");
        int size = (int) Math.min(e.constant(AT_BYTE_SIZE).orElse(0), Integer.MAX_VALUE);
        return switch (e.tag()) {
            case TAG_BASE_TYPE -> new DwarfType(name, baseKind(e), size);
            case TAG_POINTER_TYPE, TAG_REFERENCE_TYPE, TAG_RVALUE_REFERENCE_TYPE -> {
                String target = resolve(next, depth + 1).name();
                String mark = e.tag() == TAG_POINTER_TYPE ? "*" : e.tag() == TAG_REFERENCE_TYPE ? "&" : "&&";
                // cdb writes "char * s" and "char ** argv": a space before the first star only.
                String joined = target.endsWith("*") || target.endsWith("&") ? target + mark : target + " " + mark;
                yield new DwarfType(joined, DwarfType.Kind.POINTER, size == 0 ? 8 : size);
            }
            case TAG_CONST_TYPE, TAG_VOLATILE_TYPE, TAG_RESTRICT_TYPE, TAG_ATOMIC_TYPE -> qualified(e.tag(), resolve(next, depth + 1));
            case TAG_TYPEDEF -> {
                DwarfType underlying = resolve(next, depth + 1);
                yield new DwarfType(name.isEmpty() ? underlying.name() : name, underlying.kind(), underlying.size());
            }
            case TAG_STRUCTURE_TYPE -> new DwarfType(tagged("struct", name), DwarfType.Kind.AGGREGATE, size);
            case TAG_UNION_TYPE -> new DwarfType(tagged("union", name), DwarfType.Kind.AGGREGATE, size);
            case TAG_CLASS_TYPE -> new DwarfType(tagged("class", name), DwarfType.Kind.AGGREGATE, size);
            case TAG_ENUMERATION_TYPE -> {
                // gcc gives an enumeration the integer type it is stored as; without one, C's int.
                DwarfType stored = next.isPresent() ? resolve(next, depth + 1) : new DwarfType("int", DwarfType.Kind.SIGNED, size);
                yield new DwarfType(tagged("enum", name), stored.kind(), size == 0 ? stored.size() : size);
            }
            case TAG_SUBROUTINE_TYPE -> new DwarfType("<function>", DwarfType.Kind.OTHER, 0);
            case TAG_ARRAY_TYPE -> new DwarfType(resolve(next, depth + 1).name() + " []", DwarfType.Kind.OTHER, size);
            default -> DwarfType.UNKNOWN;
        };
    }

    private static DwarfType.Kind baseKind(DebugEntry e) {
        return switch ((int) e.constant(AT_ENCODING).orElse(-1)) {
            case ATE_SIGNED -> DwarfType.Kind.SIGNED;
            case ATE_UNSIGNED, ATE_UTF -> DwarfType.Kind.UNSIGNED;
            case ATE_SIGNED_CHAR -> DwarfType.Kind.SIGNED_CHAR;
            case ATE_UNSIGNED_CHAR -> DwarfType.Kind.UNSIGNED_CHAR;
            case ATE_BOOLEAN -> DwarfType.Kind.BOOLEAN;
            case ATE_FLOAT -> DwarfType.Kind.FLOAT;
            default -> DwarfType.Kind.OTHER;
        };
    }

    /** C puts a qualifier before a plain type ({@code const char}) and after a pointer ({@code char * const}). */
    private static DwarfType qualified(int tag, DwarfType inner) {
        String word = switch (tag) {
            case TAG_CONST_TYPE -> "const";
            case TAG_VOLATILE_TYPE -> "volatile";
            case TAG_RESTRICT_TYPE -> "restrict";
            default -> "_Atomic";
        };
        String name = inner.kind() == DwarfType.Kind.POINTER ? inner.name() + " " + word : word + " " + inner.name();
        return new DwarfType(name, inner.kind(), inner.size());
    }

    private static String tagged(String keyword, String name) {
        return keyword + " " + (name.isEmpty() ? "<unnamed-tag>" : name);
    }
}
