package dev.debugport.cli.output;

/** Writes debug events in one output format. */
public interface EventPrinter {
    void print(EventRecord record);

    /** A format by its command-line name: text (cdb-like) or JSON Lines. */
    static EventPrinter create(boolean json, java.io.PrintWriter out) {
        return json ? new JsonEventPrinter(out) : new TextEventPrinter(out);
    }
}
