package dev.debugport.debugger;

import dev.debugport.analysis.Disassembler;
import dev.debugport.analysis.Instruction;
import dev.debugport.analysis.MemoryReader;
import dev.debugport.analysis.ModuleImage;
import dev.debugport.analysis.StackFrame;
import dev.debugport.analysis.StackWalker;
import dev.debugport.analysis.Symbol;
import dev.debugport.analysis.SymbolTable;
import dev.debugport.debugger.target.TargetAnalysis;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Test doubles for the analysis module: a decoder for the handful of opcodes the simulated machine runs (nop, int3,
 * ret, jmp rel8, call rel32), a symbol table of the modules plus symbols a test adds, and a one-frame stack walker.
 */
final class FakeAnalysis implements TargetAnalysis {
    final List<Symbol> extraSymbols = new ArrayList<>();
    Tables last;

    @Override
    public SymbolTable symbolsFor(MemoryReader memory) {
        last = new Tables(extraSymbols);
        return last;
    }

    @Override
    public StackWalker stackWalkerFor(MemoryReader memory, SymbolTable symbols) {
        return (context, maxFrames) -> List.of(new StackFrame(0, context.rip(), context.rip(), context.rsp(), 0, new long[4], StackFrame.Method.CONTEXT,
                OptionalLong.empty(), register -> OptionalLong.empty()));
    }

    @Override
    public Disassembler disassembler() {
        return new Disassembler() {
            @Override
            public List<Instruction> decode(byte[] code, long address, int maxCount) {
                List<Instruction> out = new ArrayList<>();
                int at = 0;
                while (out.size() < maxCount && at < code.length) {
                    int op = code[at] & 0xFF;
                    long pc = address + at;
                    Instruction insn = switch (op) {
                        case 0x90 -> new Instruction(pc, new byte[] {(byte) op}, "nop", "", Instruction.Kind.SEQUENTIAL, OptionalLong.empty());
                        case 0xCC -> new Instruction(pc, new byte[] {(byte) op}, "int3", "", Instruction.Kind.INTERRUPT, OptionalLong.empty());
                        case 0xC3 -> new Instruction(pc, new byte[] {(byte) op}, "ret", "", Instruction.Kind.RETURN, OptionalLong.empty());
                        case 0xEB -> at + 2 > code.length ? null : new Instruction(pc, new byte[] {(byte) op, code[at + 1]}, "jmp",
                                "0x" + Long.toHexString(pc + 2 + code[at + 1]), Instruction.Kind.JUMP, OptionalLong.of(pc + 2 + code[at + 1]));
                        default -> new Instruction(pc, new byte[] {(byte) op}, "db", String.format("0x%02x", op), Instruction.Kind.SEQUENTIAL, OptionalLong.empty());
                    };
                    if (insn == null) {
                        break;
                    }
                    out.add(insn);
                    at += insn.length();
                }
                return out;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Modules as loaded; symbols only those the test adds. */
    static final class Tables implements SymbolTable {
        private final List<ModuleImage> modules = new ArrayList<>();
        private final List<Symbol> symbols;

        Tables(List<Symbol> symbols) {
            this.symbols = symbols;
        }

        @Override
        public void moduleLoaded(ModuleImage module) {
            modules.add(module);
            modules.sort(Comparator.comparingLong(ModuleImage::base));
        }

        @Override
        public void moduleUnloaded(long base) {
            modules.removeIf(m -> m.base() == base);
        }

        @Override
        public List<ModuleImage> modules() {
            return List.copyOf(modules);
        }

        @Override
        public Optional<ModuleImage> moduleAt(long address) {
            return modules.stream().filter(m -> m.contains(address)).findFirst();
        }

        @Override
        public Optional<ModuleImage> moduleNamed(String name) {
            return modules.stream().filter(m -> m.name().equalsIgnoreCase(name)).findFirst();
        }

        @Override
        public Optional<Symbol> symbolAt(long address) {
            return symbols.stream().filter(s -> s.address() <= address && address < s.address() + Math.max(1, s.size())).findFirst();
        }

        @Override
        public String describe(long address) {
            Optional<Symbol> s = symbolAt(address);
            if (s.isPresent()) {
                long off = address - s.get().address();
                return s.get().qualifiedName() + SymbolTable.offsetSuffix(off);
            }
            Optional<ModuleImage> m = moduleAt(address);
            if (m.isPresent()) {
                long off = address - m.get().base();
                return m.get().name() + SymbolTable.offsetSuffix(off);
            }
            return String.format("%016x", address);
        }

        @Override
        public OptionalLong resolve(String name) {
            for (Symbol s : symbols) {
                if (s.qualifiedName().equalsIgnoreCase(name) || s.name().equals(name)) {
                    return OptionalLong.of(s.address());
                }
            }
            return moduleNamed(name).map(m -> OptionalLong.of(m.base())).orElse(OptionalLong.empty());
        }

        @Override
        public List<Symbol> find(String pattern) {
            String regex = pattern.toLowerCase(Locale.ROOT).replace("*", ".*").replace("?", ".");
            return symbols.stream().filter(s -> s.qualifiedName().toLowerCase(Locale.ROOT).matches(regex)).toList();
        }
    }
}
