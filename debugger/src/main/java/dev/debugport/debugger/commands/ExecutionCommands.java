package dev.debugport.debugger.commands;

import dev.debugport.analysis.Instruction;
import dev.debugport.analysis.StackFrame;
import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.expr.ExpressionException;
import dev.debugport.debugger.session.DebugSession;
import dev.debugport.debugger.session.Stop;
import dev.debugport.debugger.target.Target;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.NtStatus;
import java.util.List;
import java.util.Optional;

/**
 * g, gH, gN (go: continue the event with its filter's handling, handled, not handled), t and p (trace into and step
 * over, with a repeat count: {@code t 100}), tc and pc (to the next call), gu (to the return address the stack walker
 * finds).
 */
final class ExecutionCommands implements Command {
    @Override
    public List<String> names() {
        return List.of("g", "gh", "gn", "t", "p", "tc", "pc", "gu");
    }

    @Override
    public String usage(String name) {
        return switch (name) {
            case "t", "p" -> name + " [Count]";
            default -> name;
        };
    }

    @Override
    public void execute(Debugger d, String name, String arguments) throws UsageException, ExpressionException {
        DebugSession s = d.session();
        if (!s.hasTargets()) {
            throw UsageException.cannot("No runnable debuggees");
        }
        switch (name) {
            case "g", "gh", "gn" -> {
                UsageException.requireNone(arguments);
                NtStatus status = name.equals("gh") ? NtStatus.DBG_CONTINUE : name.equals("gn") ? NtStatus.DBG_EXCEPTION_NOT_HANDLED : null;
                d.report(s.go(status));
            }
            case "t", "p" -> {
                long count = arguments.isEmpty() ? 1 : d.evaluate(arguments);
                if (count < 1) {
                    throw UsageException.badArguments("the count must be 1 or more");
                }
                d.requireStoppedThread();
                for (long i = 0; i < count; i++) {
                    Stop stop = step(d, name.equals("p"));
                    if (stop.kind() != Stop.Kind.STEP || i == count - 1) {
                        d.report(stop);
                        return;
                    }
                    d.showCurrentInstruction(true);
                }
            }
            case "tc", "pc" -> {
                UsageException.requireNone(arguments);
                d.requireStoppedThread();
                while (true) {
                    Stop stop = step(d, name.equals("pc"));
                    if (stop.kind() != Stop.Kind.STEP || nextIsCall(d)) {
                        d.report(stop);
                        return;
                    }
                }
            }
            default -> {
                UsageException.requireNone(arguments);
                d.report(goUp(d));
            }
        }
    }

    /** One t (into) or p (over: a call runs to the instruction after it, on the same stack). */
    private static Stop step(Debugger d, boolean over) throws UsageException {
        if (over) {
            Amd64Context ctx = d.requireContext();
            Optional<Instruction> call = callAt(d, ctx);
            if (call.isPresent()) {
                return d.session().runTo(call.get().next(), ctx.rsp());
            }
        }
        return d.session().stepInto();
    }

    private static boolean nextIsCall(Debugger d) throws UsageException {
        return callAt(d, d.requireContext()).isPresent();
    }

    /** The instruction at the current thread's rip, if it is a call. */
    private static Optional<Instruction> callAt(Debugger d, Amd64Context ctx) throws UsageException {
        return d.requireTarget().instructionAt(ctx.rip()).filter(insn -> insn.kind() == Instruction.Kind.CALL);
    }

    /** gu: the caller's return address from the stack walker; run there with a higher stack pointer. */
    private static Stop goUp(Debugger d) throws UsageException {
        Amd64Context ctx = d.requireContext();
        Target t = d.requireTarget();
        List<StackFrame> frames = t.stackWalker().walk(ctx, 2);
        if (frames.size() < 2 || frames.get(1).instruction() == 0) {
            throw UsageException.cannot("gu: the stack walker finds no caller of " + t.symbols().describe(ctx.rip()));
        }
        return d.session().runTo(frames.get(1).instruction(), ctx.rsp() + 1);
    }
}
