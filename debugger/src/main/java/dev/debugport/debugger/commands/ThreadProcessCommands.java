package dev.debugport.debugger.commands;

import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.format.Hex;
import dev.debugport.debugger.target.Target;
import dev.debugport.debugger.target.TargetThread;
import java.util.List;
import java.util.Optional;

/**
 * ~ (the current process's threads: {@code .} marks the current one, {@code #} the one whose event is pending;
 * {@code ~Ns} makes thread N current) and | (the processes on the debug object; {@code |Ns}).
 */
final class ThreadProcessCommands implements Command {
    @Override
    public List<String> names() {
        return List.of("~", "|");
    }

    @Override
    public String usage(String name) {
        return name + " | " + name + "*" + " | " + name + "Ns";
    }

    @Override
    public void execute(Debugger d, String name, String arguments) throws UsageException {
        Target target = d.requireTarget();
        String args = arguments.replace(" ", "");
        if (args.isEmpty() || args.equals("*") || args.equals(".")) {
            if (name.equals("~")) {
                listThreads(d, target);
            } else {
                listProcesses(d);
            }
            return;
        }
        if (!args.endsWith("s") || args.length() < 2) {
            throw UsageException.badArguments("'" + arguments + "'");
        }
        int number;
        try {
            number = Integer.parseInt(args.substring(0, args.length() - 1));
        } catch (NumberFormatException e) {
            throw UsageException.badArguments("not a number: '" + args.substring(0, args.length() - 1) + "'");
        }
        if (name.equals("~")) {
            TargetThread thread = target.threadNumbered(number).orElseThrow(() -> UsageException.cannot("Illegal thread error: no thread " + number));
            d.session().select(target, thread);
        } else {
            Target t = d.session().targets().stream().filter(p -> p.number() == number).findFirst()
                    .orElseThrow(() -> UsageException.cannot("Illegal process error: no process " + number));
            Optional<TargetThread> first = t.threads().stream().findFirst();
            d.session().select(t, first.orElse(null));
        }
        if (d.session().isStopped()) {
            d.showCurrentInstruction(true);
        }
    }

    private static void listThreads(Debugger d, Target target) {
        TargetThread current = d.session().currentThread().orElse(null);
        TargetThread event = d.session().eventThread().orElse(null);
        for (TargetThread t : target.threads()) {
            char mark = t == current ? '.' : t == event ? '#' : ' ';
            d.out().println(String.format("%c%3d  Id: %x.%x Teb: %s Unfrozen", mark, t.number(), target.id(), t.id(), Hex.pointer(t.teb())));
        }
    }

    private static void listProcesses(Debugger d) {
        Target current = d.session().currentTarget().orElse(null);
        for (Target t : d.session().targets()) {
            String image = t.symbols().modules().isEmpty() ? "?" : t.symbols().moduleAt(t.symbols().modules().getFirst().base())
                    .map(m -> m.path()).orElse("?");
            d.out().println(String.format("%c%3d\tid: %x\tname: %s", t == current ? '.' : ' ', t.number(), t.id(), image));
        }
    }
}
