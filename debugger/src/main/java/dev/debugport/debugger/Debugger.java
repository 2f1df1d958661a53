package dev.debugport.debugger;

import dev.debugport.analysis.Instruction;
import dev.debugport.analysis.SymbolTable;
import dev.debugport.debugger.commands.Arguments;
import dev.debugport.debugger.commands.Command;
import dev.debugport.debugger.commands.CommandRegistry;
import dev.debugport.debugger.commands.Commands;
import dev.debugport.debugger.commands.UsageException;
import dev.debugport.debugger.expr.ExpressionContext;
import dev.debugport.debugger.expr.ExpressionEvaluator;
import dev.debugport.debugger.expr.ExpressionException;
import dev.debugport.debugger.format.DisassemblyFormat;
import dev.debugport.debugger.session.DebugSession;
import dev.debugport.debugger.session.Stop;
import dev.debugport.debugger.target.Target;
import dev.debugport.debugger.target.TargetThread;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The debugger as a front end drives it: one command line at a time ({@link #execute}), the prompt, and whether the
 * session is over. Commands of a line run in order; a breakpoint's or an event filter's command string runs when it
 * fires, before the rest of the line, as in cdb.
 */
public final class Debugger {
    private final DebugSession session;
    private final Output out;
    private final CommandRegistry registry;
    private final TargetControl control;
    private final ExpressionEvaluator evaluator;
    private boolean finished;
    private long nextDisassembly = -1;
    private long nextDump = -1;
    /** The rest of the line being run, where a stop's command string goes in front. */
    private Deque<String> pendingWork;

    public Debugger(DebugSession session, Output out, TargetControl control) {
        this.session = session;
        this.out = out;
        this.control = control;
        this.registry = Commands.all();
        this.evaluator = new ExpressionEvaluator(new CurrentScope());
    }

    public DebugSession session() {
        return session;
    }

    public Output out() {
        return out;
    }

    public CommandRegistry registry() {
        return registry;
    }

    /** The platform's part of .create, .attach, .childdbg and !antidebug. */
    public TargetControl control() {
        return control;
    }

    /** Whether q / qd ended the session. */
    public boolean finished() {
        return finished;
    }

    public void finish() {
        finished = true;
    }

    /** cdb's prompt: {@code process:thread> } in decimal (0:000>), or {@code NoTarget> }. */
    public String prompt() {
        Optional<Target> t = session.currentTarget();
        Optional<TargetThread> th = session.currentThread();
        if (t.isEmpty() || th.isEmpty()) {
            return "NoTarget> ";
        }
        return String.format("%d:%03d> ", t.get().number(), th.get().number());
    }

    /** Waits for the first stop (initial breakpoint or attach break-in) and shows it. */
    public void start() {
        report(session.start(), new ArrayDeque<>());
    }

    /** Runs one line of commands; a bad command prints one line and the rest of the line still runs. */
    public void execute(String line) {
        Deque<String> work = new ArrayDeque<>(Arguments.splitCommands(line));
        while (!work.isEmpty() && !finished) {
            runOne(work.removeFirst(), work);
        }
    }

    private void runOne(String text, Deque<String> work) {
        String[] parts = registry.split(text);
        Optional<Command> command = registry.lookup(parts[0]);
        if (command.isEmpty()) {
            out.println("Unknown command '" + parts[0] + "' (" + text + "); the commands: " + String.join(" ", registry.names()));
            return;
        }
        try {
            pendingWork = work;
            command.get().execute(this, parts[0], parts[1]);
        } catch (UsageException e) {
            out.println(e.showUsage() ? e.getMessage() + "; usage: " + command.get().usage(parts[0]) : e.getMessage());
        } catch (ExpressionException e) {
            out.println(e.getMessage());
        } catch (RuntimeException e) {
            // A bug must not end the session and leave the debuggee stopped: say so in one line and go on.
            out.println("Internal error in '" + text + "': " + e);
        } finally {
            pendingWork = null;
        }
    }

    /**
     * What an execution command does with the stop it ended at: shows it (registers and the next instruction), and
     * queues the breakpoint's or filter's command string in front of the rest of the line.
     */
    public void report(Stop stop) {
        report(stop, pendingWork != null ? pendingWork : new ArrayDeque<>());
    }

    private void report(Stop stop, Deque<String> work) {
        nextDisassembly = -1;
        nextDump = -1;
        switch (stop.kind()) {
            case NO_TARGETS -> out.println("No runnable debuggees left: the session has no target");
            case RUNNING_OTHERS -> { }
            default -> {
                if (!stop.resume()) {
                    showCurrentInstruction(true);
                }
            }
        }
        if (stop.commands() != null) {
            List<String> commands = Arguments.splitCommands(stop.commands());
            if (stop.resume()) {
                work.addFirst("g");
            }
            for (int i = commands.size() - 1; i >= 0; i--) {
                work.addFirst(commands.get(i));
            }
        } else if (stop.resume()) {
            work.addFirst("g");
        }
    }

    /** The registers (with {@code registers}) and the current instruction with its symbol line, as cdb shows a stop. */
    public void showCurrentInstruction(boolean registers) {
        Optional<TargetThread> thread = session.currentThread();
        Optional<Target> target = session.currentTarget();
        if (thread.isEmpty() || target.isEmpty()) {
            return;
        }
        Optional<Amd64Context> ctx = thread.get().context(session.kernel32());
        if (ctx.isEmpty()) {
            out.println("Unable to get the context of thread " + Integer.toHexString(thread.get().id()) + ", Win32 error "
                    + session.kernel32().getLastError());
            return;
        }
        long rip = ctx.get().rip();
        SymbolTable symbols = target.get().symbols();
        Optional<Instruction> next = target.get().instructionAt(rip);
        // One println, so one write, for the whole stop: t prints this at every step.
        StringBuilder text = new StringBuilder(1024);
        if (registers) {
            text.append(ctx.get()).append('\n');
        }
        text.append(symbols.describe(rip)).append(":\n")
                .append(next.isEmpty() ? DisassemblyFormat.unreadable(rip) : DisassemblyFormat.line(next.get(), symbols));
        out.println(text.toString());
    }

    /** Evaluates an expression in the current thread and process. */
    public long evaluate(String expression) throws ExpressionException {
        return evaluator.evaluate(expression);
    }

    /** The current process, or the one-line error a command prints without one. */
    public Target requireTarget() throws UsageException {
        return session.currentTarget().orElseThrow(() -> UsageException.cannot("No runnable debuggees"));
    }

    /** The current thread of a stopped target. */
    public TargetThread requireStoppedThread() throws UsageException {
        requireTarget();
        if (!session.isStopped()) {
            throw UsageException.cannot("The target is running: no thread is stopped (g to let events come, .kill, q)");
        }
        return session.currentThread().orElseThrow(() -> UsageException.cannot("No current thread"));
    }

    /** The registers of the current thread. */
    public Amd64Context requireContext() throws UsageException {
        TargetThread thread = requireStoppedThread();
        return thread.context(session.kernel32()).orElseThrow(() -> UsageException.cannot(
                "Unable to get the context of thread " + Integer.toHexString(thread.id()) + ", Win32 error " + session.kernel32().getLastError()));
    }

    /** Where u without an address goes on (after the last u), or -1. */
    public long nextDisassembly() {
        return nextDisassembly;
    }

    public void setNextDisassembly(long address) {
        nextDisassembly = address;
    }

    /** Where d* without an address goes on (after the last dump), or -1. */
    public long nextDump() {
        return nextDump;
    }

    public void setNextDump(long address) {
        nextDump = address;
    }

    /** Registers, symbols and memory of the current thread and process, for expressions. */
    private final class CurrentScope implements ExpressionContext {
        @Override
        public OptionalLong register(String name) {
            Optional<Amd64Register> reg = Amd64Register.byName(name);
            if (reg.isEmpty() || !session.isStopped()) {
                return OptionalLong.empty();
            }
            Optional<Amd64Context> ctx = session.currentThread().flatMap(t -> t.context(session.kernel32()));
            return ctx.map(c -> OptionalLong.of(c.get(reg.get()))).orElse(OptionalLong.empty());
        }

        @Override
        public OptionalLong symbol(String name) {
            if (name.equals(".")) {
                return register("rip");
            }
            return session.currentTarget().map(t -> t.symbols().resolve(name)).orElse(OptionalLong.empty());
        }

        @Override
        public OptionalLong readPointer(long address) {
            return session.currentTarget().map(t -> t.memory().readLong(address)).orElse(OptionalLong.empty());
        }
    }
}
