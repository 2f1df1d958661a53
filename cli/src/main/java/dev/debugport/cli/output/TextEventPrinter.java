package dev.debugport.cli.output;

import dev.debugport.debugger.format.Hex;
import java.io.PrintWriter;

/**
 * cdb-like text: "ModLoad: start end path" for modules, "(pid.tid): description - code XXXXXXXX (first chance)"
 * for exceptions, and one line for each thread, process and debug-string event. Addresses are printed as cdb
 * prints 64-bit pointers (00007ffa`00000000).
 */
public final class TextEventPrinter implements EventPrinter {
    private final PrintWriter out;

    public TextEventPrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void print(EventRecord r) {
        String line = format(r);
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** The text for one record (one or more lines). */
    public static String format(EventRecord r) {
        String who = "(" + Long.toHexString(r.processId()) + "." + Long.toHexString(r.threadId()) + "): ";
        return switch (r.kind()) {
            case "create_process" -> who + "Create process " + r.field("path") + System.lineSeparator()
                    + modLoad(r);
            case "load_dll" -> modLoad(r);
            case "unload_dll" -> "Unload module " + r.field("path") + " at " + pointer((Long) r.field("base"));
            case "create_thread" -> who + "Create thread, start " + symbolOrPointer(r, "start");
            case "exit_thread" -> who + "Exit thread, code " + hex32(r.field("exit_code"));
            case "exit_process" -> who + "Exit process, code " + hex32(r.field("exit_code"));
            case "exception" -> exception(who, r);
            case "output_debug_string" -> who + "Debug string: " + r.field("text");
            case "rip" -> who + "RIP error " + hex32(r.field("error")) + " type " + r.field("type");
            default -> who + r.kind() + " " + r.fields();
        };
    }

    private static String modLoad(EventRecord r) {
        return "ModLoad: " + pointer((Long) r.field("base")) + " " + pointer((Long) r.field("end")) + "   " + r.field("path");
    }

    private static String exception(String who, EventRecord r) {
        boolean first = Boolean.TRUE.equals(r.field("first_chance"));
        StringBuilder sb = new StringBuilder();
        sb.append(who).append(r.field("name")).append(" - code ").append(hex32(r.field("code")).substring(2))
                .append(first ? " (first chance)" : " (!!! second chance !!!)");
        sb.append(System.lineSeparator()).append("    at ").append(symbolOrPointer(r, "address"));
        Object detail = r.field("detail");
        if (detail != null) {
            sb.append(System.lineSeparator()).append("    ").append(detail);
        }
        return sb.toString();
    }

    private static String symbolOrPointer(EventRecord r, String field) {
        Object symbol = r.field(field + "_symbol");
        String p = pointer((Long) r.field(field));
        return symbol == null ? p : symbol + " (" + p + ")";
    }

    /** A 64-bit pointer as cdb prints it: 16 hex digits with a backtick in the middle. */
    public static String pointer(Long value) {
        return Hex.pointer(value == null ? 0 : value);
    }

    private static String hex32(Object v) {
        long n = v instanceof Number num ? num.longValue() : 0;
        return String.format("0x%08x", n & 0xFFFFFFFFL);
    }
}
