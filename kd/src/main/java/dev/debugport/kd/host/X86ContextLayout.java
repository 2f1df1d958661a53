package dev.debugport.kd.host;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Register offsets in the x86 CONTEXT (716 bytes, {@code spec/kd.md} §6.5), for hosts talking to 32-bit targets
 * such as Xen's kdd. All registers are u32.
 */
public final class X86ContextLayout {
    /** sizeof(CONTEXT) on x86. */
    public static final int SIZE = 0x2CC;

    private static final Map<String, Integer> OFFSETS = new LinkedHashMap<>();

    static {
        OFFSETS.put("dr0", 0x04);
        OFFSETS.put("dr1", 0x08);
        OFFSETS.put("dr2", 0x0C);
        OFFSETS.put("dr3", 0x10);
        OFFSETS.put("dr6", 0x14);
        OFFSETS.put("dr7", 0x18);
        OFFSETS.put("gs", 0x8C);
        OFFSETS.put("fs", 0x90);
        OFFSETS.put("es", 0x94);
        OFFSETS.put("ds", 0x98);
        OFFSETS.put("edi", 0x9C);
        OFFSETS.put("esi", 0xA0);
        OFFSETS.put("ebx", 0xA4);
        OFFSETS.put("edx", 0xA8);
        OFFSETS.put("ecx", 0xAC);
        OFFSETS.put("eax", 0xB0);
        OFFSETS.put("ebp", 0xB4);
        OFFSETS.put("eip", 0xB8);
        OFFSETS.put("cs", 0xBC);
        OFFSETS.put("efl", 0xC0);
        OFFSETS.put("esp", 0xC4);
        OFFSETS.put("ss", 0xC8);
    }

    private X86ContextLayout() {
    }

    /** @return the offset of the register named {@code name} ({@code eax}, {@code eip}, {@code efl} ...) */
    public static Optional<Integer> offsetOf(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return Optional.ofNullable(OFFSETS.get(n.equals("eflags") ? "efl" : n));
    }
}
