package dev.debugport.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The plain forms of the `run` command line, read without picocli: {@code run [--json] [--kill-on-exit |
 * --detach-on-exit] [--children] -- PROGRAM [ARGS...]}, each option at most once and in any order. That is the
 * command a user types most and the one the start-up benchmark times, and picocli builds its model of a command by
 * reflection over the annotations, which costs a short run more than everything else it does before the launch.
 *
 * <p>Anything else is left to picocli, which answers it as it always did (usage, errors, help): another command, a
 * help or version option, the interactive options (-i, -c, -cf), an option given twice or both exit options, an
 * unknown or abbreviated option, no "--" or no program after it, and any argument starting with '@' (picocli reads
 * such an argument as a file of arguments).
 */
final class RunCommandLine {
    private static final Set<String> OPTIONS = Set.of(RunCommand.JSON, RunCommand.KILL_ON_EXIT,
            RunCommand.DETACH_ON_EXIT, RunCommand.CHILDREN);

    private RunCommandLine() {
    }

    /** The run command {@code args} describe, if they have one of the plain forms; else empty (picocli's turn). */
    static Optional<RunCommand> parse(String... args) {
        List<String> all = Arrays.asList(args);
        int end = all.indexOf("--");
        if (args.length == 0 || !args[0].equals(RunCommand.NAME) || end < 0 || end == args.length - 1) {
            return Optional.empty();
        }
        for (String arg : args) {
            if (arg.startsWith("@")) {
                return Optional.empty();
            }
        }
        Set<String> given = new HashSet<>();
        for (String option : all.subList(1, end)) {
            if (!OPTIONS.contains(option) || !given.add(option)) {
                return Optional.empty();
            }
        }
        if (given.contains(RunCommand.KILL_ON_EXIT) && given.contains(RunCommand.DETACH_ON_EXIT)) {
            return Optional.empty();
        }
        RunCommand run = new RunCommand();
        run.json = given.contains(RunCommand.JSON);
        run.killOnExit = given.contains(RunCommand.KILL_ON_EXIT);
        run.detachOnExit = given.contains(RunCommand.DETACH_ON_EXIT);
        run.children = given.contains(RunCommand.CHILDREN);
        run.command = new ArrayList<>(all.subList(end + 1, args.length));
        return Optional.of(run);
    }
}
