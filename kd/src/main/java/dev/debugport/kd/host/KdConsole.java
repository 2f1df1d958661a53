package dev.debugport.kd.host;

import java.io.PrintWriter;

/**
 * The interpreter's output: kd's own lines and prompt interleaved with the target's DbgPrint / DbgPrompt text, which
 * arrives on the client's thread and may leave a line open.
 */
final class KdConsole {
    private final PrintWriter out;
    private final Object outLock = new Object();
    /** The last DbgPrint output did not end its line: the next line of ours starts a new one. */
    private boolean midLine;

    KdConsole(PrintWriter out) {
        this.out = out;
    }

    void println(String line) {
        synchronized (outLock) {
            endPrintedLine();
            out.println(line);
            out.flush();
        }
    }

    /** Prints kd's {@code kd> } prompt. */
    void printPrompt() {
        synchronized (outLock) {
            endPrintedLine();
            out.print("kd> ");
            out.flush();
        }
    }

    /** Prints the target's DbgPrint output as it is (it need not end its line). */
    void printDebugOutput(String text) {
        synchronized (outLock) {
            out.print(text);
            out.flush();
            if (!text.isEmpty()) {
                midLine = !text.endsWith("\n");
            }
        }
    }

    /** Prints the prompt text of the target's DbgPrompt on a line of its own. */
    void printDebugPrompt(String prompt) {
        synchronized (outLock) {
            endPrintedLine();
            out.print(prompt);
            out.flush();
        }
    }

    /** Ends the line of a DbgPrompt that no one answers (batch mode). */
    void endDebugPrompt() {
        synchronized (outLock) {
            out.println();
            out.flush();
        }
    }

    private void endPrintedLine() {
        if (midLine) {
            out.println();
            midLine = false;
        }
    }
}
