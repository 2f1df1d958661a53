package dev.debugport.debugger.expr;

import java.util.OptionalLong;

/**
 * cdb's MASM expressions, the part debuggers use daily: numbers in the default radix 16 ({@code 1f}, {@code 0x1f},
 * {@code 0n31} decimal, {@code 0y11111} binary, backticks allowed inside: {@code 00007ffa`00001000}), registers
 * ({@code @rax}, or {@code rax} when no symbol has that name), symbols ({@code module!symbol}, {@code symbol},
 * {@code module}), {@code poi(expr)}, unary minus, {@code + - * /} with the usual precedence, and parentheses.
 * Arithmetic is on 64-bit values, wrapping as the debugger's does.
 *
 * <pre>
 * expression := term (("+" | "-") term)*
 * term       := unary (("*" | "/") unary)*
 * unary      := ("-" | "+") unary | primary
 * primary    := number | "@" register | "poi" "(" expression ")" | "(" expression ")" | name
 * </pre>
 */
public final class ExpressionEvaluator {
    private final ExpressionContext context;
    private String text;
    private int pos;

    public ExpressionEvaluator(ExpressionContext context) {
        this.context = context;
    }

    /** Evaluates a whole expression; anything left over after it is a syntax error. */
    public synchronized long evaluate(String expression) throws ExpressionException {
        text = expression;
        pos = 0;
        skipSpaces();
        if (pos >= text.length()) {
            throw new ExpressionException("Syntax error: an expression is needed");
        }
        long value = expression();
        skipSpaces();
        if (pos < text.length()) {
            throw syntaxError();
        }
        return value;
    }

    private long expression() throws ExpressionException {
        long value = term();
        while (true) {
            skipSpaces();
            if (accept('+')) {
                value += term();
            } else if (accept('-')) {
                value -= term();
            } else {
                return value;
            }
        }
    }

    private long term() throws ExpressionException {
        long value = unary();
        while (true) {
            skipSpaces();
            if (accept('*')) {
                value *= unary();
            } else if (accept('/')) {
                long divisor = unary();
                if (divisor == 0) {
                    throw new ExpressionException("Divide by zero error at '" + text.substring(Math.max(0, pos - 1)).trim() + "'");
                }
                value = Long.divideUnsigned(value, divisor);
            } else {
                return value;
            }
        }
    }

    private long unary() throws ExpressionException {
        skipSpaces();
        if (accept('-')) {
            return -unary();
        }
        if (accept('+')) {
            return unary();
        }
        return primary();
    }

    private long primary() throws ExpressionException {
        skipSpaces();
        if (pos >= text.length()) {
            throw new ExpressionException("Syntax error: the expression ends too early in '" + text.trim() + "'");
        }
        char c = text.charAt(pos);
        if (c == '(') {
            pos++;
            long value = expression();
            expect(')');
            return value;
        }
        if (c == '@') {
            pos++;
            String name = name();
            return context.register(name).orElseThrow(() -> new ExpressionException("Bad register error at '@" + name + "'"));
        }
        if (Character.isDigit(c)) {
            return number();
        }
        if (isNameStart(c)) {
            int start = pos;
            String name = name();
            skipSpaces();
            if (name.equalsIgnoreCase("poi") && accept('(')) {
                long address = expression();
                expect(')');
                return context.readPointer(address).orElseThrow(() -> new ExpressionException(
                        "Memory access error at 'poi(" + Long.toHexString(address) + ")'"));
            }
            if (isHexNumber(name)) {
                pos = start;
                return number();
            }
            OptionalLong symbol = context.symbol(name);
            if (symbol.isPresent()) {
                return symbol.getAsLong();
            }
            return context.register(name).orElseThrow(() -> new ExpressionException(
                    "Couldn't resolve error at '" + name + "': no symbol, module or register of that name"));
        }
        throw syntaxError();
    }

    /** A number: 0x hex, 0n decimal, 0y binary, else hex (the default radix); backticks are separators. */
    private long number() throws ExpressionException {
        int radix = 16;
        if (pos + 1 < text.length() && text.charAt(pos) == '0') {
            char prefix = Character.toLowerCase(text.charAt(pos + 1));
            radix = switch (prefix) {
                case 'x' -> 16;
                case 'n' -> 10;
                case 'y' -> 2;
                default -> 0;
            };
            if (radix != 0) {
                pos += 2;
            } else {
                radix = 16;
            }
        }
        int start = pos;
        StringBuilder digits = new StringBuilder();
        while (pos < text.length() && (Character.digit(text.charAt(pos), radix) >= 0 || text.charAt(pos) == '`')) {
            if (text.charAt(pos) != '`') {
                digits.append(text.charAt(pos));
            }
            pos++;
        }
        if (pos < text.length() && isNameChar(text.charAt(pos))) {
            throw syntaxError();
        }
        if (digits.isEmpty()) {
            pos = start;
            throw syntaxError();
        }
        try {
            return Long.parseUnsignedLong(digits.toString(), radix);
        } catch (NumberFormatException e) {
            throw new ExpressionException("Numeric overflow error at '" + text.substring(start, pos) + "'");
        }
    }

    private String name() throws ExpressionException {
        int start = pos;
        while (pos < text.length() && isNameChar(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw syntaxError();
        }
        return text.substring(start, pos);
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '$' || c == '.' || c == '?';
    }

    /** Letters, digits and the characters that appear in module!symbol names (ELF symbols carry dots and @). */
    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.' || c == '!' || c == '?' || c == '@';
    }

    private static boolean isHexNumber(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private boolean accept(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) throws ExpressionException {
        skipSpaces();
        if (!accept(c)) {
            throw syntaxError();
        }
    }

    private ExpressionException syntaxError() {
        String rest = pos < text.length() ? text.substring(pos).trim() : "";
        return new ExpressionException("Syntax error at '" + (rest.isEmpty() ? text.trim() : rest) + "'");
    }
}
