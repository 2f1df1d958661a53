package dev.debugport.kd.host;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/** kd's memory commands: {@code db/dd/dq [addr] [L n]} dump, {@code eb/ed/eq addr value...} edit. */
final class KdMemoryCommands {
    private final KdExpression expression;
    private final KdTarget target;
    private final KdConsole console;
    /** Where a {@code d*} without an address continues: just after the last dump, as kd does. */
    private long lastDumpAddress;

    /** @param expression evaluates the addresses, against the target it reads and writes */
    KdMemoryCommands(KdExpression expression, KdConsole console) {
        this.expression = expression;
        this.target = expression.target();
        this.console = console;
    }

    /** {@code db|dd|dq}: {@code unit} is b, d or q. */
    void dump(char unit, String args) {
        KdHostClient c = target.stopped();
        int size = unit == 'b' ? 1 : unit == 'd' ? 4 : 8;
        long address = lastDumpAddress;
        int count = unit == 'b' ? 0x80 : unit == 'd' ? 0x20 : 0x10;
        String[] parts = args.isEmpty() ? new String[0] : args.split("\\s+");
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.toLowerCase(Locale.ROOT).startsWith("l")) {
                String n = p.length() > 1 ? p.substring(1) : (i + 1 < parts.length ? parts[++i] : "");
                count = (int) KdFormat.parseNumber(n);
            } else {
                address = expression.evaluate(p);
            }
        }
        if (count <= 0 || count > 0x10000) {
            throw new KdHostException("bad length");
        }
        byte[] data = c.readVirtual(address, count * size);
        int perLine = 16 / size;
        for (int i = 0; i < count; i += perLine) {
            long lineAddr = address + (long) i * size;
            StringBuilder b = new StringBuilder(target.addr(lineAddr)).append("  ");
            StringBuilder ascii = new StringBuilder();
            for (int j = 0; j < perLine && i + j < count; j++) {
                int off = (i + j) * size;
                boolean ok = off + size <= data.length;
                if (unit == 'b') {
                    if (j == 8) {
                        b.setCharAt(b.length() - 1, '-');
                    }
                    b.append(ok ? String.format("%02x", data[off] & 0xFF) : "??").append(' ');
                    int ch = ok ? data[off] & 0xFF : '?';
                    ascii.append(ch >= 0x20 && ch < 0x7F ? (char) ch : '.');
                } else if (unit == 'd') {
                    b.append(ok ? String.format("%08x", ByteBuffer.wrap(data, off, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()) : "????????").append(' ');
                } else {
                    long q = ok ? ByteBuffer.wrap(data, off, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() : 0;
                    b.append(ok ? String.format("%08x`%08x", q >>> 32, q & 0xFFFF_FFFFL) : "????????`????????").append(' ');
                }
            }
            String line = b.toString().stripTrailing();
            if (unit == 'b') {
                line = String.format("%-" + (target.addr(0).length() + 2 + 48) + "s ", line) + ascii;
            }
            console.println(line);
        }
        lastDumpAddress = address + (long) count * size;
    }

    /** {@code eb|ed|eq}: {@code unit} is b, d or q. */
    void edit(char unit, String args) {
        KdHostClient c = target.stopped();
        String[] parts = args.split("\\s+");
        if (parts.length < 2 || parts[0].isEmpty()) {
            throw new KdHostException("usage: e" + unit + " address value [value ...]");
        }
        long address = expression.evaluate(parts[0]);
        int size = unit == 'b' ? 1 : unit == 'd' ? 4 : 8;
        ByteBuffer b = ByteBuffer.allocate(size * (parts.length - 1)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 1; i < parts.length; i++) {
            long v = KdFormat.parseNumber(parts[i]);
            switch (size) {
                case 1 -> b.put((byte) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        int wrote = c.writeVirtual(address, b.array());
        if (wrote < b.capacity()) {
            throw new KdHostException("Memory access error at '" + target.addr(address + wrote) + "'");
        }
    }
}
