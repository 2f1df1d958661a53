package dev.debugport.debugger.commands;

import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.expr.ExpressionException;
import dev.debugport.debugger.format.Hex;
import dev.debugport.debugger.target.Target;
import dev.debugport.debugger.target.TargetMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * db, dw, dd, dq (hex dumps, {@code ??} for what cannot be read), da, du (strings), dps/dqs (pointers with their
 * symbols). Without an address a dump goes on where the last one ended.
 */
final class DisplayMemoryCommand implements Command {
    private static final int DEFAULT_BYTES = 0x80;
    private static final int MAX_STRING = 0x100;

    @Override
    public List<String> names() {
        return List.of("db", "dw", "dd", "dq", "da", "du", "dps", "dqs");
    }

    @Override
    public String usage(String name) {
        return name + " [Address [L Count | EndAddress]]";
    }

    @Override
    public void execute(Debugger d, String name, String arguments) throws UsageException, ExpressionException {
        Target target = d.requireTarget();
        int unit = switch (name) {
            case "db", "da" -> 1;
            case "dw", "du" -> 2;
            case "dd" -> 4;
            default -> 8;
        };
        long defaultCount = switch (name) {
            case "da", "du" -> MAX_STRING;
            case "dps", "dqs" -> 16;
            default -> DEFAULT_BYTES / unit;
        };
        Ranges.Range r = Ranges.parse(d, Arguments.words(arguments), d.nextDump(), defaultCount, unit);
        TargetMemory memory = target.memory();
        long next = switch (name) {
            case "da", "du" -> string(d, memory, r, name.equals("du"));
            case "dps", "dqs" -> pointers(d, target, r);
            default -> dump(d, memory, r, unit);
        };
        d.setNextDump(next);
    }

    /** Hex dump lines of 16 bytes; db adds the characters after the bytes, with a dash in the middle. */
    private static long dump(Debugger d, TargetMemory memory, Ranges.Range r, int unit) {
        int bytes = (int) (r.count() * unit);
        TargetMemory.Block block = memory.readBlock(r.address(), bytes);
        ByteBuffer buffer = ByteBuffer.wrap(block.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int line = 0; line < bytes; line += 16) {
            StringBuilder sb = new StringBuilder(Hex.pointer(r.address() + line)).append(' ');
            int end = Math.min(bytes, line + 16);
            for (int at = line; at < end; at += unit) {
                sb.append(unit == 1 && at == line + 8 ? '-' : ' ');
                if (!block.allReadable(at, unit)) {
                    sb.append(unit == 8 ? "????????`????????" : "?".repeat(unit * 2));
                    continue;
                }
                sb.append(switch (unit) {
                    case 1 -> String.format("%02x", buffer.get(at));
                    case 2 -> String.format("%04x", buffer.getShort(at));
                    case 4 -> String.format("%08x", buffer.getInt(at));
                    default -> Hex.pointer(buffer.getLong(at));
                });
            }
            if (unit == 1) {
                sb.append("   ".repeat(16 - (end - line))).append("  ");
                for (int at = line; at < end; at++) {
                    int c = block.bytes()[at] & 0xFF;
                    sb.append(block.readable(at) && c >= 0x20 && c < 0x7F ? (char) c : block.readable(at) ? '.' : '?');
                }
            }
            d.out().println(sb.toString());
        }
        return r.address() + bytes;
    }

    /** da / du: the string up to its NUL (at most Count characters). */
    private static long string(Debugger d, TargetMemory memory, Ranges.Range r, boolean wide) {
        int unit = wide ? 2 : 1;
        TargetMemory.Block block = memory.readBlock(r.address(), (int) r.count() * unit);
        if (!block.allReadable(0, unit)) {
            d.out().println(Hex.pointer(r.address()) + "  \"????\"");
            return r.address() + unit;
        }
        int chars = 0;
        while (chars < r.count() && block.allReadable(chars * unit, unit)
                && (wide ? (block.bytes()[chars * 2] | block.bytes()[chars * 2 + 1]) != 0 : block.bytes()[chars] != 0)) {
            chars++;
        }
        String text = new String(block.bytes(), 0, chars * unit, wide ? StandardCharsets.UTF_16LE : StandardCharsets.ISO_8859_1);
        d.out().println(Hex.pointer(r.address()) + "  \"" + text + "\"");
        return r.address() + (long) (chars + 1) * unit;
    }

    /** dps / dqs: one pointer a line with the symbol it points into. */
    private static long pointers(Debugger d, Target target, Ranges.Range r) {
        TargetMemory.Block block = target.memory().readBlock(r.address(), (int) r.count() * 8);
        ByteBuffer buffer = ByteBuffer.wrap(block.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < r.count(); i++) {
            long at = r.address() + i * 8L;
            if (!block.allReadable(i * 8, 8)) {
                d.out().println(Hex.pointer(at) + "  ????????`????????");
                continue;
            }
            long value = buffer.getLong(i * 8);
            String symbol = target.symbols().symbolAt(value).isPresent() ? " " + target.symbols().describe(value) : "";
            d.out().println(Hex.pointer(at) + "  " + Hex.pointer(value) + symbol);
        }
        return r.address() + r.count() * 8;
    }
}
