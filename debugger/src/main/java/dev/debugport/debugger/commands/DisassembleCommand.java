package dev.debugport.debugger.commands;

import dev.debugport.analysis.Instruction;
import dev.debugport.analysis.Symbol;
import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.expr.ExpressionException;
import dev.debugport.debugger.format.DisassemblyFormat;
import dev.debugport.debugger.target.Target;
import java.util.List;
import java.util.Optional;

/**
 * u (8 instructions, or a range; without an address from the current instruction, or after the last u) and uf (the
 * whole function around an address: from its symbol to the symbol's end, or to its first ret when the table has no
 * size). A line starts a block with {@code module!symbol+0xoffset:} where a symbol begins and at the first line.
 */
final class DisassembleCommand implements Command {
    private static final int DEFAULT_COUNT = 8;
    private static final int MAX_FUNCTION_BYTES = 0x10000;

    @Override
    public List<String> names() {
        return List.of("u", "uf");
    }

    @Override
    public String usage(String name) {
        return name.equals("u") ? "u [Address [L Count | EndAddress]]" : "uf Address";
    }

    @Override
    public void execute(Debugger d, String name, String arguments) throws UsageException, ExpressionException {
        Target target = d.requireTarget();
        if (name.equals("uf")) {
            function(d, target, arguments);
            return;
        }
        List<String> words = Arguments.words(arguments);
        long start = d.nextDisassembly();
        if (words.isEmpty() && start == -1) {
            start = d.requireContext().rip();
        }
        Ranges.Range r = Ranges.parse(d, words, start, DEFAULT_COUNT, 1);
        boolean byEnd = words.size() == 2 && !words.get(1).toLowerCase().startsWith("l");
        long end = byEnd ? r.address() + r.count() : Long.MAX_VALUE;
        int count = byEnd ? Integer.MAX_VALUE : (int) r.count();
        d.setNextDisassembly(print(d, target, r.address(), count, end, false));
    }

    private void function(Debugger d, Target target, String arguments) throws UsageException, ExpressionException {
        if (arguments.isEmpty()) {
            throw UsageException.badArguments("an address is needed");
        }
        long address = d.evaluate(arguments);
        Optional<Symbol> s = target.symbols().symbolAt(address);
        if (s.isEmpty()) {
            throw UsageException.cannot("No function known at " + target.symbols().describe(address) + " (no symbol)");
        }
        long size = s.get().size();
        long end = size > 0 ? s.get().address() + Math.min(size, MAX_FUNCTION_BYTES) : s.get().address() + MAX_FUNCTION_BYTES;
        print(d, target, s.get().address(), MAX_FUNCTION_BYTES, end, size == 0);
    }

    /**
     * Prints up to {@code count} instructions from {@code address} below {@code end}.
     *
     * @return the address after the last one
     */
    private static long print(Debugger d, Target target, long address, int count, long end, boolean stopAtReturn) {
        long at = address;
        boolean first = true;
        int printed = 0;
        while (printed < count && Long.compareUnsigned(at, end) < 0) {
            int batch = Math.min(64, count - printed);
            List<Instruction> insns = DisassemblyFormat.decode(d.session().analysis().disassembler(), target.memory(), at, batch);
            if (insns.isEmpty()) {
                d.out().println(DisassemblyFormat.unreadable(at));
                return at + 1;
            }
            for (Instruction insn : insns) {
                if (printed >= count || Long.compareUnsigned(insn.address(), end) >= 0) {
                    return insn.address();
                }
                Optional<Symbol> s = target.symbols().symbolAt(insn.address());
                if (first || (s.isPresent() && s.get().address() == insn.address())) {
                    d.out().println(target.symbols().describe(insn.address()) + ":");
                }
                first = false;
                d.out().println(DisassemblyFormat.line(insn, target.symbols()));
                printed++;
                at = insn.next();
                if (stopAtReturn && insn.kind() == Instruction.Kind.RETURN) {
                    return at;
                }
            }
        }
        return at;
    }
}
