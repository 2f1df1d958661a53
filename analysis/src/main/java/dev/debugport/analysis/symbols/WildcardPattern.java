package dev.debugport.analysis.symbols;

import java.util.regex.Pattern;

/**
 * A name pattern as the {@code x} command takes it: {@code *} matches any run of characters, {@code ?} one
 * character, everything else itself; case-insensitive, and the whole name must match.
 */
public final class WildcardPattern {
    private final Pattern regex;

    private WildcardPattern(Pattern regex) {
        this.regex = regex;
    }

    public static WildcardPattern compile(String pattern) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            re.append(Pattern.quote(literal.toString()));
        }
        return new WildcardPattern(Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL));
    }

    public boolean matches(String name) {
        return regex.matcher(name).matches();
    }
}
