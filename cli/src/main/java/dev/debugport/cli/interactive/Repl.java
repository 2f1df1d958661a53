package dev.debugport.cli.interactive;

import dev.debugport.analysis.ModuleImage;
import dev.debugport.analysis.Symbol;
import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.session.DebugSession;
import dev.debugport.debugger.target.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.keymap.KeyMap;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive prompt (JLine 3): history, completion of command names and of the current process's symbols
 * (module!name), Ctrl-C while the target runs breaks in (SIGINT from the terminal), Ctrl-C at the prompt clears the
 * line (the terminal's signal keys are off while a line is read, so the debuggee gets no SIGINT either), Ctrl-D quits.
 */
final class Repl {
    private static final String CLEAR_LINE = "debugport-clear-line";
    /** How many symbols completion offers at most (a libc has thousands). */
    private static final int MAX_SYMBOL_CANDIDATES = 2000;

    private Repl() {
    }

    static void run(Debugger debugger, DebugSession session) {
        try (Terminal terminal = TerminalBuilder.builder().system(true).nativeSignals(true).build()) {
            terminal.handle(Terminal.Signal.INT, s -> session.requestBreak());
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("debugport")
                    .completer(new DebuggerCompleter(debugger, session))
                    .variable(LineReader.HISTORY_SIZE, 1000)
                    .build();
            reader.getWidgets().put(CLEAR_LINE, () -> {
                reader.getBuffer().clear();
                reader.callWidget(LineReader.REDRAW_LINE);
                reader.callWidget(LineReader.REDISPLAY);
                return true;
            });
            reader.getKeyMaps().get(LineReader.MAIN).bind(new Reference(CLEAR_LINE), KeyMap.ctrl('C'));
            while (!debugger.finished()) {
                String line;
                Attributes cooked = terminal.getAttributes();
                Attributes noSignals = new Attributes(cooked);
                noSignals.setLocalFlag(Attributes.LocalFlag.ISIG, false);
                terminal.setAttributes(noSignals);
                try {
                    line = reader.readLine(debugger.prompt());
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    line = "q";
                } finally {
                    terminal.setAttributes(cooked);
                }
                debugger.out().echoCommand(debugger.prompt(), line);
                debugger.execute(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the terminal cannot be opened", e);
        }
    }

    /** Command names for the first word; module!symbol names of the current process after it. */
    private record DebuggerCompleter(Debugger debugger, DebugSession session) implements Completer {
        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            if (line.wordIndex() == 0) {
                debugger.registry().names().forEach(n -> candidates.add(new Candidate(n)));
                return;
            }
            Target target = session.currentTarget().orElse(null);
            if (target == null) {
                return;
            }
            String word = line.word();
            int bang = word.indexOf('!');
            if (bang < 0) {
                for (ModuleImage m : target.symbols().modules()) {
                    candidates.add(new Candidate(m.name() + "!", m.name() + "!", null, null, null, null, false));
                }
                return;
            }
            List<Symbol> found = target.symbols().find(word + "*");
            found.stream().limit(MAX_SYMBOL_CANDIDATES).forEach(s -> candidates.add(new Candidate(s.qualifiedName())));
        }
    }
}
