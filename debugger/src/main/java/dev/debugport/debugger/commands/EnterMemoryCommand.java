package dev.debugport.debugger.commands;

import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.expr.ExpressionException;
import dev.debugport.debugger.format.Hex;
import dev.debugport.debugger.target.Target;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** eb, ew, ed, eq (values of 1, 2, 4, 8 bytes), ea, eu (an ASCII or UTF-16 string, without a terminating NUL). */
final class EnterMemoryCommand implements Command {
    @Override
    public List<String> names() {
        return List.of("eb", "ew", "ed", "eq", "ea", "eu");
    }

    @Override
    public String usage(String name) {
        return name.equals("ea") || name.equals("eu") ? name + " Address \"String\"" : name + " Address Value [Value...]";
    }

    @Override
    public void execute(Debugger d, String name, String arguments) throws UsageException, ExpressionException {
        Target target = d.requireTarget();
        List<String> words = Arguments.words(arguments);
        if (words.size() < 2) {
            throw UsageException.badArguments("an address and a value are needed");
        }
        long address = d.evaluate(words.getFirst());
        byte[] bytes;
        if (name.equals("ea") || name.equals("eu")) {
            if (words.size() != 2 || !Arguments.isQuoted(words.get(1))) {
                throw UsageException.badArguments("one \"quoted string\" is needed");
            }
            String text = Arguments.unquote(words.get(1));
            bytes = text.getBytes(name.equals("eu") ? StandardCharsets.UTF_16LE : StandardCharsets.ISO_8859_1);
        } else {
            int size = switch (name) {
                case "eb" -> 1;
                case "ew" -> 2;
                case "ed" -> 4;
                default -> 8;
            };
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (String w : words.subList(1, words.size())) {
                long value = d.evaluate(w);
                if (size < 8 && (value >>> (size * 8)) != 0 && value >> (size * 8 - 1) != -1) {
                    throw UsageException.badArguments("'" + w + "' does not fit in " + size + " byte(s)");
                }
                for (int i = 0; i < size; i++) {
                    b.write((int) (value >>> (8 * i)));
                }
            }
            bytes = b.toByteArray();
        }
        if (!target.memory().write(address, bytes)) {
            throw UsageException.cannot("Memory access error at '" + Hex.pointer(address) + "': WriteProcessMemory failed with Win32 error "
                    + d.session().kernel32().getLastError());
        }
    }
}
