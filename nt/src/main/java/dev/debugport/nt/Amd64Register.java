package dev.debugport.nt;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The registers of the AMD64 {@code CONTEXT} structure that debugport models: the sixteen integer
 * registers, Rip, EFlags, the six segment selectors and the debug registers Dr0-Dr3, Dr6, Dr7.
 */
public enum Amd64Register {
    /** Rax. */ RAX,
    /** Rcx. */ RCX,
    /** Rdx. */ RDX,
    /** Rbx. */ RBX,
    /** Rsp. */ RSP,
    /** Rbp. */ RBP,
    /** Rsi. */ RSI,
    /** Rdi. */ RDI,
    /** R8. */ R8,
    /** R9. */ R9,
    /** R10. */ R10,
    /** R11. */ R11,
    /** R12. */ R12,
    /** R13. */ R13,
    /** R14. */ R14,
    /** R15. */ R15,
    /** Rip. */ RIP,
    /** EFlags (32 bits). */ EFLAGS,
    /** SegCs (16 bits). */ CS,
    /** SegDs (16 bits). */ DS,
    /** SegEs (16 bits). */ ES,
    /** SegFs (16 bits). */ FS,
    /** SegGs (16 bits). */ GS,
    /** SegSs (16 bits). */ SS,
    /** Dr0. */ DR0,
    /** Dr1. */ DR1,
    /** Dr2. */ DR2,
    /** Dr3. */ DR3,
    /** Dr6. */ DR6,
    /** Dr7. */ DR7;

    private static final Map<String, Amd64Register> BY_NAME = new HashMap<>();

    /** The name cdb prints, made once: the register block of every stop spells them all. */
    private final String lowerName = name().equals("EFLAGS") ? "efl" : name().toLowerCase(Locale.ROOT);

    static {
        for (Amd64Register r : values()) {
            BY_NAME.put(r.name().toLowerCase(Locale.ROOT), r);
            BY_NAME.put(r.lowerName(), r);
        }
    }

    /** @return the name as cdb prints it: {@code "rax"}, {@code "r8"}, and {@code "efl"} for EFLAGS */
    public String lowerName() {
        return lowerName;
    }

    /** @return true for the six segment selectors */
    public boolean isSegment() {
        return this == CS || this == DS || this == ES || this == FS || this == GS || this == SS;
    }

    /** @return true for Dr0-Dr3, Dr6, Dr7 */
    public boolean isDebugRegister() {
        return compareTo(DR0) >= 0;
    }

    /**
     * @param name a register name in any case: {@code "rax"}, {@code "RAX"}, {@code "efl"} or {@code "eflags"}
     * @return the register, or empty when the name is unknown or null
     */
    public static Optional<Amd64Register> byName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_NAME.get(name.trim().toLowerCase(Locale.ROOT)));
    }
}
