package dev.debugport.debugger.commands;

import java.util.ArrayList;
import java.util.List;

/** Splits command text the way cdb reads it: into commands at {@code ;}, and into words, keeping "quoted strings". */
public final class Arguments {
    private Arguments() {
    }

    /** The commands of one line, split at semicolons outside double quotes; empty ones dropped. */
    public static List<String> splitCommands(String line) {
        List<String> commands = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                sb.append(c);
                c = line.charAt(++i);
            } else if (c == ';' && !quoted) {
                add(commands, sb);
                continue;
            }
            sb.append(c);
        }
        add(commands, sb);
        return commands;
    }

    private static void add(List<String> commands, StringBuilder sb) {
        String s = sb.toString().trim();
        if (!s.isEmpty()) {
            commands.add(s);
        }
        sb.setLength(0);
    }

    /** Words separated by blanks; a "quoted string" is one word, returned with its quotes. */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                sb.append(c);
            } else if (Character.isWhitespace(c) && !quoted) {
                if (!sb.isEmpty()) {
                    words.add(sb.toString());
                    sb.setLength(0);
                }
            } else {
                sb.append(c);
            }
        }
        if (!sb.isEmpty()) {
            words.add(sb.toString());
        }
        return words;
    }

    public static boolean isQuoted(String word) {
        return word.length() >= 2 && word.startsWith("\"") && word.endsWith("\"");
    }

    /** The text of a "quoted string", with \" turned back into ". */
    public static String unquote(String word) {
        return word.substring(1, word.length() - 1).replace("\\\"", "\"");
    }
}
