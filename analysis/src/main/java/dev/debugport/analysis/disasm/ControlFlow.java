package dev.debugport.analysis.disasm;

import dev.debugport.analysis.Instruction.Kind;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The flow-of-control class of an x86-64 instruction from its mnemonic, and its branch target from its operand text
 * when that is an immediate address (how cdb's {@code p}, {@code pc} and {@code pt} find calls and returns).
 */
final class ControlFlow {
    /** Prefixes Capstone prints as part of the mnemonic ({@code bnd jmp}, {@code notrack call}, {@code rep ret}). */
    private static final Set<String> PREFIXES = Set.of("bnd", "notrack", "rep", "repe", "repz", "repne", "repnz", "lock",
            "data16", "addr32");
    private static final Set<String> RETURNS = Set.of("ret", "retf", "retfq", "iret", "iretd", "iretq");
    private static final Set<String> JUMPS = Set.of("jmp", "ljmp");
    private static final Set<String> CONDITIONAL = Set.of("loop", "loope", "loopne", "jrcxz", "jecxz", "jcxz");
    private static final Set<String> INTERRUPTS = Set.of("int", "int1", "int3", "into", "syscall", "sysenter");

    private ControlFlow() {
    }

    static Kind kind(String mnemonic) {
        String m = withoutPrefixes(mnemonic);
        if (m.equals("call") || m.equals("lcall")) {
            return Kind.CALL;
        }
        if (RETURNS.contains(m)) {
            return Kind.RETURN;
        }
        if (JUMPS.contains(m)) {
            return Kind.JUMP;
        }
        if (CONDITIONAL.contains(m) || (m.startsWith("j") && m.length() <= 4)) {
            return Kind.CONDITIONAL_JUMP;
        }
        if (INTERRUPTS.contains(m)) {
            return Kind.INTERRUPT;
        }
        return Kind.SEQUENTIAL;
    }

    /**
     * The target of a call or branch whose operand is an immediate: Capstone prints it as an absolute address, in hex
     * with 0x, or in decimal below 10. Empty for register and memory operands (call rax, jmp qword ptr [rip + 8]).
     */
    static OptionalLong target(Kind kind, String operands) {
        if (kind != Kind.CALL && kind != Kind.JUMP && kind != Kind.CONDITIONAL_JUMP) {
            return OptionalLong.empty();
        }
        String op = operands.strip();
        try {
            if (op.startsWith("0x") && op.length() > 2 && op.length() <= 18) {
                return OptionalLong.of(Long.parseUnsignedLong(op.substring(2), 16));
            }
            if (!op.isEmpty() && op.length() <= 2 && op.chars().allMatch(Character::isDigit)) {
                return OptionalLong.of(Long.parseLong(op));
            }
        } catch (NumberFormatException e) {
            // not an immediate after all (a segment:offset far pointer): no target
        }
        return OptionalLong.empty();
    }

    private static String withoutPrefixes(String mnemonic) {
        String[] words = mnemonic.strip().split("\\s+");
        int i = 0;
        while (i < words.length - 1 && PREFIXES.contains(words[i])) {
            i++;
        }
        return words[i];
    }
}
