package dev.debugport.cli.output;

import java.io.PrintWriter;
import java.util.Map;

/**
 * JSON Lines: one object per event, {"event": kind, "pid": .., "tid": .., fields...}. Addresses and codes (the
 * long-valued fields) are hex strings such as "0x7ffa00000000", as debugger users read them; other numbers and
 * booleans are JSON literals.
 */
public final class JsonEventPrinter implements EventPrinter {
    private final PrintWriter out;

    public JsonEventPrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void print(EventRecord record) {
        StringBuilder sb = new StringBuilder(128);
        sb.append("{\"event\":");
        appendString(sb, record.kind());
        sb.append(",\"pid\":").append(record.processId()).append(",\"tid\":").append(record.threadId());
        for (Map.Entry<String, Object> f : record.fields().entrySet()) {
            sb.append(',');
            appendString(sb, f.getKey());
            sb.append(':');
            appendValue(sb, f.getValue());
        }
        sb.append('}');
        synchronized (out) {
            out.println(sb);
            out.flush();
        }
    }

    private static void appendValue(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Long l) {
            appendString(sb, "0x" + Long.toHexString(l));
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else {
            appendString(sb, v.toString());
        }
    }

    /** Appends {@code s} as a JSON string literal (RFC 8259 escapes). */
    static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
