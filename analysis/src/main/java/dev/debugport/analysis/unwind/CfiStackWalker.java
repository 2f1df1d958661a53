package dev.debugport.analysis.unwind;

import dev.debugport.analysis.MemoryReader;
import dev.debugport.analysis.MemoryWords;
import dev.debugport.analysis.ModuleImage;
import dev.debugport.analysis.StackFrame;
import dev.debugport.analysis.StackWalker;
import dev.debugport.analysis.SymbolTable;
import dev.debugport.analysis.elf.ElfModules;
import dev.debugport.nt.Amd64Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The call stack of a stopped thread, as cdb's {@code k} family prints it (what StackWalk64 does with the thread's
 * context): each caller is recovered from the .eh_frame call-frame information of the module containing the frame's
 * pc, or, where there is none, from the frame-pointer chain. The walk ends where the CFI marks the return address
 * undefined (glibc's {@code _start}), where the return address is 0, or where a step does not move up the stack.
 *
 * <p>Frame 0 is the context; every later frame's pc is a return address, so its FDE is looked up at pc - 1 (the call
 * instruction, which may be the last one of its function), unless the frame below was a signal trampoline.
 */
public final class CfiStackWalker implements StackWalker {
    private static final int ARGUMENT_WORDS = 4;

    private final MemoryReader memory;
    private final SymbolTable modules;
    private final UnwindTables tables;
    private final CallFrameStep callFrameStep;
    private final FramePointerStep framePointerStep;

    /** A walker reading ELF files through the shared cache. */
    public CfiStackWalker(MemoryReader memory, SymbolTable modules) {
        this(memory, modules, ElfModules.shared());
    }

    /**
     * @param memory  the debuggee's memory (stack and saved registers)
     * @param modules where the modules are: a frame's pc is looked up in the module that contains it
     * @param files   the ELF file cache the .eh_frame sections come from
     */
    public CfiStackWalker(MemoryReader memory, SymbolTable modules, ElfModules files) {
        this.memory = memory;
        this.modules = modules;
        this.tables = new UnwindTables(files);
        this.callFrameStep = new CallFrameStep(memory);
        this.framePointerStep = new FramePointerStep(memory);
    }

    @Override
    public List<StackFrame> walk(Amd64Context context, int maxFrames) {
        List<StackFrame> frames = new ArrayList<>();
        Registers frame = Registers.of(context);
        StackFrame.Method method = StackFrame.Method.CONTEXT;
        boolean exactPc = true;
        while (frames.size() < maxFrames) {
            long lookup = exactPc ? frame.pc() : frame.pc() - 1;
            Step step = unwind(frame, lookup);
            if (step instanceof Step.Caller c && !movesUp(frame, c.caller())) {
                step = new Step.Unknown();
            }
            long returnAddress = step instanceof Step.Caller c ? c.caller().pc() : 0;
            long argumentsAt = switch (step) {
                case Step.Caller c -> c.argumentsAt();
                case Step.Outermost o -> o.argumentsAt();
                case Step.Unknown u -> frame.sp();
            };
            OptionalLong cfa = switch (step) {
                case Step.Caller c -> OptionalLong.of(c.caller().sp());
                case Step.Outermost o -> OptionalLong.of(o.cfa());
                case Step.Unknown u -> OptionalLong.empty();
            };
            frames.add(new StackFrame(frames.size(), frame.pc(), lookup, frame.sp(), returnAddress, arguments(argumentsAt), method,
                    cfa, frame.snapshot()));
            if (!(step instanceof Step.Caller c)) {
                break;
            }
            frame = c.caller();
            method = c.method();
            exactPc = c.exactPc();
        }
        return frames;
    }

    private Step unwind(Registers frame, long lookup) {
        Optional<ModuleImage> module = modules.moduleAt(lookup);
        Optional<UnwindTables.Found> found = module.flatMap(m -> tables.find(m, lookup));
        if (found.isPresent()) {
            Step step = callFrameStep.unwind(frame, found.get());
            if (!(step instanceof Step.Unknown)) {
                return step;
            }
        }
        return framePointerStep.unwind(frame);
    }

    /** A caller must return somewhere and live higher up the stack, or the walk would loop or wander. */
    private static boolean movesUp(Registers frame, Registers caller) {
        return caller.pc() != 0 && caller.known(Registers.RSP) && Long.compareUnsigned(caller.sp(), frame.sp()) > 0;
    }

    private long[] arguments(long at) {
        long[] words = new long[ARGUMENT_WORDS];
        for (int i = 0; i < ARGUMENT_WORDS; i++) {
            words[i] = MemoryWords.qword(memory, at + 8L * i).orElse(0);
        }
        return words;
    }
}
