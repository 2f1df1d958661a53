package dev.debugport.debugger.commands;

import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.expr.ExpressionException;
import dev.debugport.debugger.format.Hex;
import dev.debugport.debugger.target.Target;
import dev.debugport.debugger.target.TargetMemory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * s: searches a range for bytes (-b, the default), words (-w), dwords (-d), qwords (-q) or an ASCII string (-a);
 * prints each hit's address and the 16 bytes there.
 */
final class SearchMemoryCommand implements Command {
    @Override
    public List<String> names() {
        return List.of("s");
    }

    @Override
    public String usage(String name) {
        return "s [-b|-w|-d|-q|-a] Range Pattern";
    }

    @Override
    public void execute(Debugger d, String name, String arguments) throws UsageException, ExpressionException {
        Target target = d.requireTarget();
        List<String> words = Arguments.words(arguments);
        int size = 1;
        boolean ascii = false;
        if (!words.isEmpty() && words.getFirst().startsWith("-")) {
            switch (words.getFirst()) {
                case "-b" -> size = 1;
                case "-w" -> size = 2;
                case "-d" -> size = 4;
                case "-q" -> size = 8;
                case "-a" -> ascii = true;
                default -> throw UsageException.badArguments("unknown option " + words.getFirst());
            }
            words = words.subList(1, words.size());
        }
        int rangeWords = rangeWords(words);
        if (rangeWords == 0 || words.size() <= rangeWords) {
            throw UsageException.badArguments("a range and a pattern are needed");
        }
        Ranges.Range range = Ranges.parse(d, words.subList(0, rangeWords), -1, 1, 1);
        byte[] pattern = pattern(d, words.subList(rangeWords, words.size()), size, ascii);
        TargetMemory.Block block = target.memory().readBlock(range.address(), (int) range.count());
        byte[] hay = block.bytes();
        for (int i = 0; i + pattern.length <= hay.length; i++) {
            if (block.allReadable(i, pattern.length) && matches(hay, i, pattern)) {
                int show = Math.min(16, hay.length - i);
                d.out().println(Hex.pointer(range.address() + i) + "  "
                        + HexFormat.ofDelimiter(" ").formatHex(hay, i, i + show));
            }
        }
    }

    /** How many words the range takes: Address L Count (3), Address LCount or Address End (2). */
    private static int rangeWords(List<String> words) {
        if (words.size() >= 3 && words.get(1).equalsIgnoreCase("l")) {
            return 3;
        }
        return words.size() >= 2 ? 2 : 0;
    }

    private static byte[] pattern(Debugger d, List<String> words, int size, boolean ascii) throws UsageException, ExpressionException {
        if (ascii) {
            if (words.size() != 1 || !Arguments.isQuoted(words.getFirst())) {
                throw UsageException.badArguments("-a takes one \"quoted string\"");
            }
            return Arguments.unquote(words.getFirst()).getBytes(StandardCharsets.ISO_8859_1);
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String w : words) {
            long value = d.evaluate(w);
            for (int i = 0; i < size; i++) {
                b.write((int) (value >>> (8 * i)));
            }
        }
        return b.toByteArray();
    }

    private static boolean matches(byte[] hay, int at, byte[] pattern) {
        for (int i = 0; i < pattern.length; i++) {
            if (hay[at + i] != pattern[i]) {
                return false;
            }
        }
        return true;
    }
}
